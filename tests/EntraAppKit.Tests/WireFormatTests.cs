using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace EntraAppKit.Tests
{
    /// <summary>The bytes on the wire look like Graph's: apostrophes in messages are not \u-escaped (learn.microsoft.com/graph/errors: the error body).</summary>
    public class WireFormatTests
    {
        [Fact]
        public async Task Error_messages_keep_apostrophes_literal()
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var http = new HttpClient(tenant.CreateHandler());
            var response = await http.PostAsync("https://graph.microsoft.com/v1.0/applications",
                new StringContent("{\"displayName\":\"x\",\"foo\":1}", Encoding.UTF8, "application/json"));
            string body = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"message\":\"Property 'foo' does not exist as a declared property or extension property.\"", body);
            Assert.DoesNotContain("\\u0027", body);
        }
    }
}
