using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EntraAppKit.LocalTenant.Server
{
    /// <summary>The server's command line.</summary>
    public sealed class ServerOptions
    {
        public int Port { get; private set; }
        public string? Path { get; private set; }
        public bool Help { get; private set; }

        /// <summary>--no-auth: Graph requests without a token act as the built-in admin.</summary>
        public bool NoAuth { get; private set; }

        /// <summary>--print-admin-token: print an admin token at start-up.</summary>
        public bool PrintAdminToken { get; private set; }
        public LocalTenantOptions Tenant { get; } = new LocalTenantOptions();

        /// <summary>
        /// --tenant NAME[:GUID] (repeatable): a further tenant of the local cloud, NAME.onmicrosoft.com; the --tenant-id,
        /// --domain and --user options after it are its own. The first tenant (before any --tenant) is <see cref="Tenant"/>.
        /// </summary>
        public IReadOnlyList<LocalTenantOptions> FurtherTenants => _furtherTenants;
        private readonly List<LocalTenantOptions> _furtherTenants = new List<LocalTenantOptions>();

        /// <summary>Every tenant, the first one first.</summary>
        public IEnumerable<LocalTenantOptions> AllTenants => new[] { Tenant }.Concat(_furtherTenants);

        /// <summary>--https: serve over TLS with a generated CA and server certificate (see <see cref="TlsCertificates"/>).</summary>
        public bool Https { get; private set; }

        /// <summary>--tls-dir DIR: where --https keeps its CA and certificate when there is no --path (beside the state file otherwise).</summary>
        public string? TlsFolder { get; private set; }

        /// <summary>
        /// --tls-host NAME (repeatable): an extra DNS name in the --https server certificate, for a host a client is routed to
        /// this server by (a hosts entry), e.g. login.microsoftonline.com, where MSAL Python sends its instance discovery.
        /// </summary>
        public IReadOnlyList<string> TlsHostNames => _tlsHostNames;
        private readonly List<string> _tlsHostNames = new List<string>();

        /// <summary>--trust-proxy: absolute URLs follow X-Forwarded-Proto and X-Forwarded-Host (a reverse proxy in front sets them).</summary>
        public bool TrustProxy { get; private set; }

        /// <summary>--request-log N: how many of the newest requests each tenant's log keeps (its counters count them all).</summary>
        public int RequestLogCapacity { get; private set; } = Diagnostics.RequestLog.DefaultCapacity;

        public static ServerOptions Parse(IReadOnlyList<string> args)
        {
            var o = new ServerOptions();
            var current = o.Tenant;
            for (int i = 0; i < args.Count; i++)
            {
                string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--port":
                        if (!int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                            throw new ArgumentException("--port takes a number from 0 to 65535.");
                        o.Port = port;
                        break;
                    case "--path": o.Path = Next(); break;
                    case "--name":
                        if (o._furtherTenants.Count > 0) throw new ArgumentException("--name names the first tenant; it comes before any --tenant.");
                        o.Tenant.Name = CheckedName(Next(), "--name");
                        break;
                    case "--tenant":
                        string tenant = Next();
                        int colon = tenant.IndexOf(':');
                        current = LocalTenantOptions.Named(CheckedName(colon < 0 ? tenant : tenant.Substring(0, colon), "--tenant"));
                        if (colon >= 0)
                        {
                            if (!Guid.TryParse(tenant.Substring(colon + 1), out var tenantId)) throw new ArgumentException("--tenant takes NAME or NAME:GUID.");
                            current.TenantId = tenantId;
                        }
                        if (o.AllTenants.Any(t => string.Equals(t.Name, current.Name, StringComparison.OrdinalIgnoreCase)))
                            throw new ArgumentException($"--tenant {current.Name}: the cloud has a tenant of that name already.");
                        o._furtherTenants.Add(current);
                        break;
                    case "--tenant-id":
                        if (!Guid.TryParse(Next(), out var id)) throw new ArgumentException("--tenant-id takes a GUID.");
                        current.TenantId = id;
                        break;
                    case "--domain": current.VerifiedDomains.Add(Next()); break;
                    case "--user": current.Users.Add(ParseUser(Next())); break;
                    case "--no-auth": o.NoAuth = true; break;
                    case "--print-admin-token": o.PrintAdminToken = true; break;
                    case "--admin-password":
                        o.Tenant.AdministratorPassword = Next();
                        if (o.Tenant.AdministratorPassword.Length == 0) throw new ArgumentException("--admin-password takes a non-empty password.");
                        break;
                    case "--https": o.Https = true; break;
                    case "--tls-dir": o.TlsFolder = Next(); break;
                    case "--tls-host":
                        string name = Next();
                        // A DNS name (letters, digits, hyphens, dots; a leading "*." for a wildcard): anything else has no place in a SAN.
                        string bare = name.StartsWith("*.", StringComparison.Ordinal) ? name.Substring(2) : name;
                        if (bare.Length == 0 || bare.Length > 253 || bare.Split('.').Any(l => l.Length == 0 || l.Length > 63 || !l.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '-'))))
                            throw new ArgumentException($"--tls-host takes a DNS name such as login.microsoftonline.com, not '{name}'.");
                        o._tlsHostNames.Add(name.ToLowerInvariant());
                        break;
                    case "--trust-proxy": o.TrustProxy = true; break;
                    case "--request-log":
                        if (!int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var kept) || kept < 1)
                            throw new ArgumentException("--request-log takes how many requests the log keeps, 1 or more.");
                        o.RequestLogCapacity = kept;
                        break;
                    case "-h":
                    case "--help": o.Help = true; break;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            foreach (var t in o.AllTenants) t.RequestLogCapacity = o.RequestLogCapacity;
            foreach (var further in o._furtherTenants)
            {
                // Runtime settings are the cloud's: every tenant's built-in administrator signs in with --admin-password.
                further.AdministratorPassword = o.Tenant.AdministratorPassword;
            }
            if (o.TlsFolder != null && !o.Https) throw new ArgumentException("--tls-dir is where --https keeps its certificates; it needs --https.");
            if (o._tlsHostNames.Count > 0 && !o.Https) throw new ArgumentException("--tls-host names a host in the --https certificate; it needs --https.");
            if (o.TlsFolder != null && o.Path != null) throw new ArgumentException("--tls-dir and --path: with --path the certificates are kept beside the state file.");
            if (o.Https && o.Path == null && o.TlsFolder == null && !o.Help)
                throw new ArgumentException("--https needs --path FILE or --tls-dir DIR: the CA clients trust is kept there, and reused on restart.");
            return o;
        }

        /// <summary>A tenant's name: letters, digits and hyphens. Checked here so a bad name is a usage error (exit 2).</summary>
        private static string CheckedName(string name, string option)
        {
            if (name.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c == '-'))
                throw new ArgumentException($"{option} takes letters, digits and hyphens (it becomes NAME.onmicrosoft.com).");
            return name;
        }

        /// <summary>
        /// --user UPN:PASSWORD[:ROLE[,ROLE…]]. The roles are what follows the last ':', when there is a second one: a password
        /// with a ':' in it ends with ':' (no roles) or ':ROLES'. Role names and the user's domain and password are checked when
        /// the tenant is built (the engine's rules, Graph's reasons).
        /// </summary>
        internal static LocalTenantUser ParseUser(string value)
        {
            int first = value.IndexOf(':');
            if (first <= 0 || first == value.Length - 1)
                throw new ArgumentException($"--user takes UPN:PASSWORD[:ROLE[,ROLE...]], not '{value}'.");
            string upn = value.Substring(0, first), rest = value.Substring(first + 1);
            string[] roles = Array.Empty<string>();
            int last = rest.LastIndexOf(':');
            if (last >= 0)
            {
                roles = rest.Substring(last + 1).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(r => r.Trim()).ToArray();
                rest = rest.Substring(0, last);
            }
            if (rest.Length == 0) throw new ArgumentException($"--user '{upn}' needs a password: UPN:PASSWORD[:ROLE[,ROLE...]].");
            return new LocalTenantUser(upn, rest, roles);
        }
    }
}
