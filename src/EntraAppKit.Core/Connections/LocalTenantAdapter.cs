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
            try { return For(path == null ? LocalTenantEngine.Create() : LocalTenantEngine.Open(path)); }
            // The local tenant reports every file it cannot use as LocalTenantStateException; a path that cannot name one
            // (a folder, an empty name, a NUL) is the user's mistake to name, the rest (damage, locks, permissions) the file's state.
            catch (LocalTenantStateException e) when (e.UnusablePath) { throw EntraAppKitException.InvalidInput(e.Message); }
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
