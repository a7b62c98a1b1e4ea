using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>The answers Graph handlers give: a JSON body with a status, or 204.</summary>
    internal static class GraphResponses
    {
        public static GraphResponse Json(int status, JsonObject body) => new GraphResponse(status, body.ToJsonString(GraphJson.Options));

        public static GraphResponse NoContent() => new GraphResponse(204);
    }
}
