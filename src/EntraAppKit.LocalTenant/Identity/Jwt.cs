using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>A compact JWS (header.payload.signature) split into its parts. Parsing checks the shape, never the signature.</summary>
    internal sealed class Jwt
    {
        private Jwt(JsonObject header, JsonObject payload, byte[] signingInput, byte[] signature)
        {
            Header = header; Payload = payload; SigningInput = signingInput; Signature = signature;
        }

        public JsonObject Header { get; }

        public JsonObject Payload { get; }

        /// <summary>The ASCII bytes of "header.payload", what the signature covers.</summary>
        public byte[] SigningInput { get; }

        public byte[] Signature { get; }

        public string? HeaderString(string name) => Header[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        public string? Claim(string name) => Payload[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        /// <summary>A NumericDate claim (exp, nbf, iat) as an instant. MSAL writes its assertions' as strings of digits, which Entra accepts too.</summary>
        public DateTimeOffset? Time(string name)
        {
            if (!(Payload[name] is JsonValue v)) return null;
            long seconds;
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var number) && number >= MinSeconds && number <= MaxSeconds) seconds = (long)number;
            else if (!(v.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))) return null;
            // A claim no instant can hold (exp 1e20) is no lifetime at all: the token is refused like one without it.
            return seconds >= MinSeconds && seconds <= MaxSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
        }

        /// <summary>The first and last second DateTimeOffset holds (years 1 and 9999): the NumericDates the tenant can compare.</summary>
        private const long MinSeconds = -62135596800, MaxSeconds = 253402300799;

        public static bool TryParse(string token, out Jwt jwt)
        {
            jwt = null!;
            var parts = token.Split('.');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0) return false;
            try
            {
                if (!(GraphJson.ParseClient(Base64Url.Decode(parts[0])) is JsonObject header)) return false;
                if (!(GraphJson.ParseClient(Base64Url.Decode(parts[1])) is JsonObject payload)) return false;
                jwt = new Jwt(header, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.Decode(parts[2]));
                return true;
            }
            catch (Exception e) when (e is FormatException || e is JsonException || e is ArgumentException)
            {
                return false;
            }
        }

        /// <summary>Serializes and signs a JWT with <paramref name="sign"/> (which sees the signing input).</summary>
        public static string Create(JsonObject header, JsonObject payload, Func<byte[], byte[]> sign)
        {
            string input = Base64Url.Encode(header.ToJsonString(GraphJson.Options)) + "." + Base64Url.Encode(payload.ToJsonString(GraphJson.Options));
            return input + "." + Base64Url.Encode(sign(Encoding.ASCII.GetBytes(input)));
        }

        /// <summary>Seconds since the Unix epoch, as JWT NumericDate claims carry them.</summary>
        public static long Seconds(DateTimeOffset t) => t.ToUnixTimeSeconds();
    }
}
