using System.Text.Encodings.Web;
using System.Text.Json;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>How the tenant writes JSON: like Graph, characters such as ' and non-ASCII letters are not \u-escaped.</summary>
    internal static class GraphJson
    {
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    }
}
