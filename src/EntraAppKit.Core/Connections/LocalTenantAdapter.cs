using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
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

        /// <summary>A new local tenant in memory, or the one persisted at <paramref name="path"/> (created there if missing).</summary>
        public static ConnectionTarget Open(string? path)
        {
            if (path != null)
            {
                // The user's path is checked here, before the local tenant reads or writes it: a folder, a malformed path or a
                // missing folder is a mistake to name, not an unexpected failure.
                if (path.Trim().Length == 0 || path.IndexOf('\0') >= 0)
                    throw EntraAppKitException.InvalidInput("-Path must name a state file: it is empty or contains a NUL character.");
                if (System.IO.Directory.Exists(path))
                    throw EntraAppKitException.InvalidInput($"-Path '{path}' is a folder; give the path of a state file in it (created if missing), e.g. '{System.IO.Path.Combine(path, "tenant.json")}'.");
            }
            try { return For(path == null ? LocalTenantEngine.Create() : LocalTenantEngine.Open(path)); }
            // The local tenant reports every file it cannot use (malformed path, no permission, damage) as LocalTenantStateException.
            catch (LocalTenantStateException e) { throw new EntraAppKitException(ErrorIds.LocalTenantState, EntraErrorCategory.InvalidOperation, e.Message, e); }
        }

        /// <summary>A local tenant already open in this process (C# callers and tests).</summary>
        public static ConnectionTarget For(LocalTenantEngine tenant)
        {
            if (tenant == null) throw new ArgumentNullException(nameof(tenant));
            // Azure.Identity keeps the login authority's URLs (login.microsoftonline.com) and the handler answers them.
            return new ConnectionTarget(TargetName, CloudEnvironment.Global,
                graphTransport: tenant.CreateHandler,
                identityTransport: new HttpClientTransport(new HttpClient(tenant.CreateHandler())),
                tenantId: tenant.TenantId,
                statePath: tenant.Path,
                builtInAdministrator: new BuiltInAdministratorCredential(tenant));
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
