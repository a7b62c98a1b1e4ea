using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// Retries 429 and 503/504 as Graph's throttling guidance says (learn.microsoft.com/graph/throttling): wait exactly Retry-After,
    /// which may be fractional seconds ("2.128") or an HTTP date; without it, back off exponentially from a small start.
    /// Replaces the SDK's retry handler, which reads only whole seconds and otherwise waits a fixed 3 s.
    /// </summary>
    public sealed class ThrottleRetryHandler : DelegatingHandler
    {
        public int MaxRetries { get; set; } = 5;
        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);
        public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            byte[]? body = request.Content == null ? null : await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            var attempt = request;
            var backoff = InitialDelay;
            for (int retry = 0; ; retry++)
            {
                var response = await base.SendAsync(attempt, cancellationToken).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if ((status != 429 && status != 503 && status != 504) || retry >= MaxRetries) return response;
                var wait = RetryAfter(response) ?? backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                response.Dispose();
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                attempt = Clone(request, body, retry + 1);
            }
        }

        /// <summary>Retry-After as seconds (fractional allowed) or an HTTP date; null when absent or unreadable.</summary>
        public static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Retry-After", out var values)) return null;
            return ParseRetryAfter(values.First());
        }

        /// <summary>A Retry-After value as seconds (fractional allowed) or an HTTP date; null when unreadable.</summary>
        public static TimeSpan? ParseRetryAfter(string value)
        {
            value = value.Trim();
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                return TimeSpan.FromSeconds(seconds);
            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }

        /// <summary>A request can be sent only once, so each retry sends a copy.</summary>
        private static HttpRequestMessage Clone(HttpRequestMessage request, byte[]? body, int retry)
        {
            var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
            foreach (var h in request.Headers) copy.Headers.TryAddWithoutValidation(h.Key, h.Value);
            copy.Headers.Remove("Retry-Attempt");
            copy.Headers.TryAddWithoutValidation("Retry-Attempt", retry.ToString(CultureInfo.InvariantCulture));
            if (body != null)
            {
                copy.Content = new ByteArrayContent(body);
                foreach (var h in request.Content!.Headers) copy.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }
#if NET5_0_OR_GREATER
            foreach (var option in request.Options) ((System.Collections.Generic.IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
#else
            foreach (var property in request.Properties) copy.Properties[property.Key] = property.Value;
#endif
            return copy;
        }
    }
}
