using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>The client of a user flow: an application registered here, or a Microsoft first-party public client.</summary>
    internal sealed class UserClient
    {
        public UserClient(string appId, string displayName, ApplicationEntity? application, bool isPublic)
        {
            AppId = appId; DisplayName = displayName; Application = application; IsPublic = isPublic;
        }

        public string AppId { get; }

        public string DisplayName { get; }

        /// <summary>The registered application; null for a first-party client.</summary>
        public ApplicationEntity? Application { get; }

        /// <summary>Device code and refresh need a public client: "Allow public client flows" (isFallbackPublicClient) on the app.</summary>
        public bool IsPublic { get; }
    }
}
