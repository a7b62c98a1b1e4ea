using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.Core.Connections
{
    /// <summary>A Microsoft cloud: where to sign in and which Microsoft Graph to call.</summary>
    public sealed class CloudEnvironment
    {
        private CloudEnvironment(string name, string authorityHost, string graphEndpoint)
            : this(name, new Uri(authorityHost), graphEndpoint)
        {
        }

        private CloudEnvironment(string name, Uri authorityHost, string graphEndpoint)
        {
            Name = name; AuthorityHost = authorityHost; GraphEndpoint = graphEndpoint;
        }

        public string Name { get; }

        /// <summary>The Microsoft Entra login endpoint.</summary>
        public Uri AuthorityHost { get; }

        /// <summary>The Microsoft Graph root, without version.</summary>
        public string GraphEndpoint { get; }

        /// <summary>
        /// This cloud's own Microsoft Graph, the resource its sign-in knows scopes of (https://graph.microsoft.com/.default),
        /// whatever Graph endpoint the connection sends to (-GraphEndpoint replaces that one, not the resource).
        /// </summary>
        public string GraphResource => All.FirstOrDefault(e => e.Name == Name)?.GraphEndpoint ?? GraphEndpoint;

        // Microsoft's national cloud deployments of Graph and their login endpoints
        // (learn.microsoft.com/graph/deployments; Azure.Identity's AzureAuthorityHosts).
        public static readonly CloudEnvironment Global = new CloudEnvironment("Global", "https://login.microsoftonline.com/", "https://graph.microsoft.com");
        public static readonly CloudEnvironment USGov = new CloudEnvironment("USGov", "https://login.microsoftonline.us/", "https://graph.microsoft.us");
        public static readonly CloudEnvironment USGovDoD = new CloudEnvironment("USGovDoD", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us");
        public static readonly CloudEnvironment China = new CloudEnvironment("China", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn");

        public static IReadOnlyList<CloudEnvironment> All { get; } = new[] { Global, USGov, USGovDoD, China };

        public static CloudEnvironment FromName(string name) =>
            All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw EntraAppKitException.InvalidInput(
                $"Unknown environment '{name}'. Use one of: {string.Join(", ", All.Select(e => e.Name))}.");

        /// <summary>A custom Graph endpoint (-GraphEndpoint) with this cloud's login.</summary>
        public CloudEnvironment WithGraphEndpoint(string graphEndpoint)
        {
            if (!Uri.TryCreate(graphEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && !uri.IsLoopback))
                throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, $"'{graphEndpoint}' is not an https Graph endpoint.");
            return new CloudEnvironment(Name, AuthorityHost.AbsoluteUri, uri.GetLeftPart(UriPartial.Authority));
        }

        /// <summary>
        /// A login authority of one's own (-AuthorityHost: Azure Stack, a test double, the local tenant server) with this
        /// cloud's Graph. Https only: MSAL refuses any other authority, and a token request must never go in clear.
        /// </summary>
        public CloudEnvironment WithAuthorityHost(Uri authorityHost)
        {
            if (authorityHost == null || !authorityHost.IsAbsoluteUri || authorityHost.Scheme != Uri.UriSchemeHttps
                || authorityHost.Query.Length > 0 || authorityHost.Fragment.Length > 0 || authorityHost.UserInfo.Length > 0)
                throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument,
                    $"'{authorityHost?.OriginalString}' is not an https login authority host (for example https://login.microsoftonline.com).");
            // Azure.Identity appends the tenant to the host as a relative URI, so a path (AD FS's /adfs) must end in '/' to be kept.
            string text = authorityHost.GetLeftPart(UriPartial.Path);
            return new CloudEnvironment(Name, new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/"), GraphEndpoint);
        }

        /// <summary>
        /// Whether the login authority is one of Microsoft's cloud hosts, which MSAL's instance discovery
        /// (a call to login.microsoftonline.com) knows; any other authority would fail that check.
        /// </summary>
        public bool IsMicrosoftAuthorityHost => All.Any(e =>
            string.Equals(e.AuthorityHost.Host, AuthorityHost.Host, StringComparison.OrdinalIgnoreCase) && e.AuthorityHost.Port == AuthorityHost.Port);

        public override string ToString() => Name;
    }
}
