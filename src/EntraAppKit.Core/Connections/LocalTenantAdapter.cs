using System;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using EntraAppKit.Core.Authentication;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Persistence;

namespace EntraAppKit.Core.Connections
{
    /// <summary>
    /// The one place the engine knows its emulator: opens a local tenant and describes it as a <see cref="ConnectionTarget"/>
    /// whose Graph and sign-in requests are answered in-process. Nothing else in EntraAppKit.Core uses EntraAppKit.LocalTenant
    /// (a test checks), so everything else works the same against Microsoft's clouds and the local tenant.
    /// </summary>
    public static class LocalTenantAdapter
    {
        /// <summary>The environment name Get-EntraAppKitContext shows.</summary>
        public const string TargetName = "LocalTenant";

        // The local cloud each connection's tenant belongs to, so that another tenant joins the same in-memory cloud.
        private static readonly ConditionalWeakTable<ConnectionTarget, LocalCloud> Clouds = new ConditionalWeakTable<ConnectionTarget, LocalCloud>();

        /// <summary>
        /// A new local tenant in memory, or the one persisted at <paramref name="path"/> (created there if missing). With
        /// <paramref name="tenantName"/>, the tenant NAME.onmicrosoft.com of that local cloud instead, created when missing: of
        /// the cloud at <paramref name="path"/> (FILE.tenants/NAME.json), or without a path of the in-memory cloud of
        /// <paramref name="current"/>, the session's connection, so that one session reaches several tenants of one cloud.
        /// </summary>
        public static ConnectionTarget Open(string? path, string? tenantName = null, ConnectionTarget? current = null)
        {
            if (tenantName != null && (tenantName.Length == 0 || !tenantName.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '-'))))
                throw EntraAppKitException.InvalidInput($"A local tenant's name has letters, digits and hyphens (it becomes NAME.onmicrosoft.com), not '{tenantName}'.");
            try
            {
                LocalCloud cloud;
                if (path != null) cloud = LocalCloud.Open(path);
                else if (tenantName != null && current != null && Clouds.TryGetValue(current, out var same) && same.Path == null) cloud = same;
                else cloud = LocalCloud.Of(LocalTenantEngine.Create());
                var tenant = tenantName == null ? cloud.Primary : cloud.AddTenant(Named(tenantName));
                var target = For(tenant, cloud);
                Clouds.Add(target, cloud);
                return target;
            }
            // The local tenant reports every file it cannot use as LocalTenantStateException; a path that cannot name one
            // (a folder, an empty name, a NUL) is the user's mistake to name, the rest (damage, locks, permissions) the file's state.
            catch (LocalTenantStateException e) when (e.UnusablePath) { throw EntraAppKitException.InvalidInput(e.Message); }
            catch (LocalTenantStateException e) { throw new EntraAppKitException(ErrorIds.LocalTenantState, EntraErrorCategory.InvalidOperation, e.Message, e); }
        }

        /// <summary>The tenant -TenantName makes: its domain in lower case, its display name as the user typed it.</summary>
        private static LocalTenantOptions Named(string tenantName)
        {
            var options = LocalTenantOptions.Named(tenantName);
            options.Name = tenantName.ToLowerInvariant();
            return options;
        }

        /// <summary>
        /// A local tenant already open in this process (C# callers and tests); with <paramref name="cloud"/>, a tenant of that
        /// local cloud, whose requests reach the tenant they belong to (a token's tid, /common's home tenant).
        /// </summary>
        public static ConnectionTarget For(LocalTenantEngine tenant, LocalCloud? cloud = null)
        {
            if (tenant == null) throw new ArgumentNullException(nameof(tenant));
            Func<HttpMessageHandler> transport = cloud == null ? tenant.CreateHandler : cloud.CreateHandler;
            // Azure.Identity keeps the login authority's URLs (login.microsoftonline.com) and the handler answers them.
            return new ConnectionTarget(TargetName, CloudEnvironment.Global,
                graphTransport: transport,
                identityTransport: new HttpClientTransport(new HttpClient(transport())),
                tenantId: tenant.TenantId,
                statePath: tenant.Path,
                builtInAdministrator: new BuiltInAdministratorCredential(tenant),
                // Without a token a request acts as the built-in administrator of the cloud's first tenant only.
                builtInAdministratorNeedsNoToken: cloud == null || ReferenceEquals(cloud.Primary, tenant) ? () => !tenant.RequireAuthentication : (Func<bool>?)null,
                builtInAdministratorGrant: () => TokenClaims.FromPayload(tenant.AdminTokenClaims()));
        }

        /// <summary>
        /// The local tenant's built-in administrator, signed in without a prompt: the tenant issues the delegated Graph token a real
        /// sign-in of its Global Administrator would get (upn, scp, wids), so what the connection reads from a token
        /// (Get-EntraAppKitContext, the permission preflight) is the same as after an interactive sign-in.
        /// </summary>
        private sealed class BuiltInAdministratorCredential : TokenCredential
        {
            private readonly LocalTenantEngine _tenant;

            public BuiltInAdministratorCredential(LocalTenantEngine tenant) { _tenant = tenant; }

            // Azure.Core's bearer policy keeps the token until shortly before ExpiresOn, then asks again.
            public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
                new AccessToken(_tenant.IssueAdminToken(), DateTimeOffset.UtcNow + LocalTenantEngine.AccessTokenLifetime);

            public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
                new ValueTask<AccessToken>(GetToken(requestContext, cancellationToken));
        }
    }
}
