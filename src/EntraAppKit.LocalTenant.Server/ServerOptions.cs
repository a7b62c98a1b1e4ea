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

        public static ServerOptions Parse(IReadOnlyList<string> args)
        {
            var o = new ServerOptions();
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
                        o.Tenant.Name = Next();
                        // Checked here so a bad name is a usage error (exit 2), not an unhandled exception from LocalTenantEngine.Create.
                        if (o.Tenant.Name.Length == 0 || !o.Tenant.Name.All(c => char.IsLetterOrDigit(c) || c == '-'))
                            throw new ArgumentException("--name takes letters, digits and hyphens (it becomes NAME.onmicrosoft.com).");
                        break;
                    case "--tenant-id":
                        if (!Guid.TryParse(Next(), out var id)) throw new ArgumentException("--tenant-id takes a GUID.");
                        o.Tenant.TenantId = id;
                        break;
                    case "--domain": o.Tenant.VerifiedDomains.Add(Next()); break;
                    case "--no-auth": o.NoAuth = true; break;
                    case "--print-admin-token": o.PrintAdminToken = true; break;
                    case "-h":
                    case "--help": o.Help = true; break;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            return o;
        }
    }
}
