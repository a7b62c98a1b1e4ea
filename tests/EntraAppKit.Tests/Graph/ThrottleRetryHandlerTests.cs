using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using Xunit;

namespace EntraAppKit.Tests.Graph
{
    /// <summary>Throttling as learn.microsoft.com/graph/throttling describes it: Retry-After in (fractional) seconds or as a date, else backoff.</summary>
    public class ThrottleRetryHandlerTests
    {
        private sealed class Scripted : HttpMessageHandler
        {
            private readonly Queue<Func<HttpResponseMessage>> _responses;
            public readonly List<(DateTimeOffset At, string Body, string? Attempt)> Seen = new List<(DateTimeOffset, string, string?)>();

            public Scripted(params Func<HttpResponseMessage>[] responses) { _responses = new Queue<Func<HttpResponseMessage>>(responses); }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                string body = request.Content == null ? "" : await request.Content.ReadAsStringAsync();
                Seen.Add((DateTimeOffset.UtcNow, body, request.Headers.TryGetValues("Retry-Attempt", out var v) ? string.Join(",", v) : null));
                return _responses.Dequeue()();
            }
        }

        private static HttpResponseMessage Status(int status, string? retryAfter = null)
        {
            var r = new HttpResponseMessage((HttpStatusCode)status);
            if (retryAfter != null) r.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return r;
        }

        private static HttpClient Client(Scripted inner, ThrottleRetryHandler? handler = null)
        {
            handler ??= new ThrottleRetryHandler();
            handler.InnerHandler = inner;
            return new HttpClient(handler);
        }

        [Fact]
        public async Task Waits_a_fractional_Retry_After_and_resends_the_same_body()
        {
            var inner = new Scripted(() => Status(429, "0.25"), () => Status(200));
            var watch = Stopwatch.StartNew();
            var response = await Client(inner).PostAsync("https://graph.microsoft.com/v1.0/applications", new StringContent("{\"displayName\":\"x\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, inner.Seen.Count);
            Assert.Equal(inner.Seen[0].Body, inner.Seen[1].Body);
            Assert.Equal("1", inner.Seen[1].Attempt);
            var gap = inner.Seen[1].At - inner.Seen[0].At;
            Assert.True(gap >= TimeSpan.FromMilliseconds(240), $"retried after {gap.TotalMilliseconds} ms, before Retry-After");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), "a fractional Retry-After must not fall back to a fixed 3 s wait");
        }

        [Fact]
        public void Reads_seconds_dates_and_nothing()
        {
            Assert.Equal(TimeSpan.FromSeconds(2.128), ThrottleRetryHandler.RetryAfter(Status(429, "2.128")));
            Assert.Equal(TimeSpan.FromSeconds(3), ThrottleRetryHandler.RetryAfter(Status(503, "3")));
            var date = ThrottleRetryHandler.RetryAfter(Status(503, DateTimeOffset.UtcNow.AddSeconds(30).ToString("r")));
            Assert.InRange(date!.Value, TimeSpan.FromSeconds(28), TimeSpan.FromSeconds(31));
            Assert.Null(ThrottleRetryHandler.RetryAfter(Status(429)));
            Assert.Null(ThrottleRetryHandler.RetryAfter(Status(429, "soon")));
        }

        [Fact]
        public async Task Backs_off_without_Retry_After_and_gives_up_after_MaxRetries()
        {
            var inner = new Scripted(() => Status(503), () => Status(504), () => Status(429), () => Status(200));
            var handler = new ThrottleRetryHandler { InitialDelay = TimeSpan.FromMilliseconds(20), MaxRetries = 2 };
            var response = await Client(inner, handler).GetAsync("https://graph.microsoft.com/v1.0/organization");
            Assert.Equal(429, (int)response.StatusCode); // two retries used, the third answer is returned as is
            Assert.Equal(3, inner.Seen.Count);
            Assert.True(inner.Seen[2].At - inner.Seen[1].At >= TimeSpan.FromMilliseconds(35), "the second wait doubles");
        }

        [Fact]
        public async Task Other_errors_are_not_retried()
        {
            var inner = new Scripted(() => Status(400), () => Status(200));
            var response = await Client(inner).GetAsync("https://graph.microsoft.com/v1.0/organization");
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Single(inner.Seen);
        }
    }
}
