using EntraAppKit.LocalTenant.Cloud;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The client of a user flow: an application registered here, a multi-tenant application another tenant of the local
    /// cloud registers (<see cref="Foreign"/>), or a Microsoft first-party public client.
    /// </summary>
    internal sealed class UserClient
    {
        public UserClient(string appId, string displayName, ApplicationEntity? application, bool isPublic, ForeignApplication? foreign = null)
        {
            AppId = appId; DisplayName = displayName; Application = application; IsPublic = isPublic; Foreign = foreign;
        }

        public string AppId { get; }

        public string DisplayName { get; }

        /// <summary>The registered application; null for a first-party client.</summary>
        public ApplicationEntity? Application { get; }

        /// <summary>Device code and refresh need a public client: "Allow public client flows" (isFallbackPublicClient) on the app.</summary>
        public bool IsPublic { get; }

        /// <summary>For an application another tenant registers: its home tenant and its secrets; null otherwise.</summary>
        public ForeignApplication? Foreign { get; }
    }
}
