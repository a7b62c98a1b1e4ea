using System.Text.Json;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>Reading a Graph request's JSON body, with Graph's 400s for a missing or malformed one.</summary>
    internal static class GraphPayload
    {
        public static JsonObject Parse(GraphRequest request)
        {
            if (request.Body.Length == 0) throw GraphException.BadRequest("Empty Payload. JSON content expected.");
            try
            {
                return GraphJson.ParseClient(request.Body) as JsonObject ?? throw new JsonException();
            }
            catch (JsonException)
            {
                throw GraphException.BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
            }
        }

        /// <summary>Refuses properties the client may never set.</summary>
        public static void RejectReadOnly(JsonObject body, params string[] names)
        {
            foreach (var n in names)
                if (body.ContainsKey(n)) throw GraphException.ReadOnly(n);
        }
    }
}
