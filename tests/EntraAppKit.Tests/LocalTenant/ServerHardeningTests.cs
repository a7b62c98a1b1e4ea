using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// What only the HTTP front door meets (issue 10, points 10 and 12): requests HttpClient will not send, written on a raw
    /// socket. Each is answered in Graph's form (learn.microsoft.com/graph/errors) or served, never an empty 500.
    /// </summary>
    public sealed class ServerHardeningTests : IClassFixture<ServerDoor>
    {
        private readonly ServerDoor _door;

        public ServerHardeningTests(ServerDoor door)
        {
            _door = door;
            door.Tenant.Faults.Clear();
        }

        private sealed class RawResponse
        {
            public int Status;
            public Dictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            public string Body = "";

            public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
        }

        /// <summary>Writes <paramref name="request"/> as is and reads the answer until the server closes the connection.</summary>
        private async Task<RawResponse> SendRawAsync(string request, byte[]? tail = null)
        {
            var uri = new Uri(_door.Address);
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, uri.Port);
            using var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            if (tail != null) await stream.WriteAsync(tail);
            await stream.FlushAsync();
            using var buffer = new MemoryStream();
            var readTask = stream.CopyToAsync(buffer);
            await Task.WhenAny(readTask, Task.Delay(TimeSpan.FromSeconds(20)));
            string text = Encoding.UTF8.GetString(buffer.ToArray());
            int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(split > 0, "No HTTP response: " + text);
            var lines = text.Substring(0, split).Split("\r\n");
            var response = new RawResponse { Status = int.Parse(lines[0].Split(' ')[1]) };
            foreach (var line in lines.Skip(1)) response.Headers[line.Substring(0, line.IndexOf(':'))] = line.Substring(line.IndexOf(':') + 1).Trim();
            response.Body = text.Substring(split + 4);
            if (response.Headers.TryGetValue("Transfer-Encoding", out var te) && te == "chunked") response.Body = Dechunk(response.Body);
            return response;
        }

        private static string Dechunk(string body)
        {
            var sb = new StringBuilder();
            int i = 0;
            while (i < body.Length)
            {
                int eol = body.IndexOf("\r\n", i, StringComparison.Ordinal);
                int size = Convert.ToInt32(body.Substring(i, eol - i), 16);
                if (size == 0) break;
                sb.Append(body, eol + 2, size);
                i = eol + 2 + size + 2;
            }
            return sb.ToString();
        }

        /// <summary>Graph's error envelope with a request-id that the tenant's RequestLog holds with the same status.</summary>
        private void GraphError(RawResponse response, int status, string code)
        {
            Assert.True(response.Status == status, $"Expected {status} but got {response.Status} {response.Body}");
            var error = response.Json["error"]!.AsObject();
            Assert.Equal(code, (string?)error["code"]);
            string requestId = response.Headers["request-id"];
            Assert.Equal(requestId, (string?)error["innerError"]!["request-id"]);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", (string?)error["innerError"]!["date"]);
            Assert.Single(_door.Tenant.RequestLog.Entries, e => e.RequestId == requestId && e.Status == status);
        }

        [Fact]
        public async Task HTTP_1_0_without_Host_is_served_with_URLs_on_the_servers_address()
        {
            // RFC 9112 section 3.2: HTTP/1.0 requests need no Host; the context URL is the server's own (learn.microsoft.com/graph/api/organization-get).
            var response = await SendRawAsync("GET /v1.0/organization HTTP/1.0\r\n\r\n");
            Assert.Equal(200, response.Status);
            Assert.Equal(_door.Root + "/$metadata#organization", (string?)response.Json["@odata.context"]);
        }

        [Fact]
        public async Task HTTP_1_0_without_Host_gets_Graphs_errors()
        {
            GraphError(await SendRawAsync($"GET /v1.0/applications/{Guid.NewGuid()} HTTP/1.0\r\n\r\n"), 404, "Request_ResourceNotFound");
            GraphError(await SendRawAsync("GET /v1.0/applications?$foo=1 HTTP/1.0\r\n\r\n"), 400, "BadRequest");
            string body = "{\"displayName\":\"a\",\"displayName\":\"b\"}";
            GraphError(await SendRawAsync($"POST /v1.0/applications HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"), 400, "Request_BadRequest");
        }

        [Fact]
        public async Task An_absolute_form_target_naming_another_host_changes_no_URL()
        {
            // RFC 9112 section 3.2.2: absolute-form; the tenant still answers with its own address.
            var response = await SendRawAsync("GET http://evil.example/v1.0/organization HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, response.Status);
            Assert.Equal(_door.Root + "/$metadata#organization", (string?)response.Json["@odata.context"]);
        }

        [Fact]
        public async Task An_empty_Host_on_HTTP_1_1_changes_no_URL()
        {
            var response = await SendRawAsync("GET /v1.0/organization HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n");
            if (response.Status == 200) Assert.Equal(_door.Root + "/$metadata#organization", (string?)response.Json["@odata.context"]);
            else Assert.Equal(400, response.Status); // Kestrel's own refusal of an invalid Host, before any application code
        }

        [Theory]
        [InlineData("zz\r\n{}\r\n0\r\n\r\n")]                       // a chunk size that is no hex number
        [InlineData("5\r\n{\"a\":1}\r\n0\r\n\r\n")]               // a chunk longer than it says
        [InlineData("ffffffffffffffffff\r\n{}\r\n0\r\n\r\n")]      // a chunk size that overflows
        public async Task A_body_the_HTTP_parser_refuses_is_Graphs_400(string chunked)
        {
            // RFC 9112 section 7.1: chunked transfer coding.
            var response = await SendRawAsync("POST /v1.0/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked);
            GraphError(response, 400, "Request_BadRequest");
        }

        [Fact]
        public async Task A_declared_body_over_4_MB_is_Graphs_413_before_it_is_sent()
        {
            // learn.microsoft.com/graph/use-the-api: write requests are limited to 4 MB.
            var response = await SendRawAsync($"POST /v1.0/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {100L * 1024 * 1024 * 1024}\r\nConnection: close\r\n\r\n",
                Encoding.ASCII.GetBytes(new string(' ', 1024)));
            GraphError(response, 413, "RequestEntityTooLarge");
        }
    }
}
