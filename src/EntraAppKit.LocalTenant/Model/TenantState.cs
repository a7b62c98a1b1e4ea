using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Identity;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>Everything a local tenant holds. Guarded by the tenant's lock.</summary>
    internal sealed class TenantState
    {
        public string TenantId { get; set; } = "";
        public string Name { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string CreatedDateTime { get; set; } = "";
        public bool EnforceIdentifierUriPolicy { get; set; } = true;
        public List<string> CustomDomains { get; } = new List<string>();
        public string MicrosoftGraphServicePrincipalId { get; set; } = "";

        public EntityTable Applications { get; } = new EntityTable();
        public EntityTable ServicePrincipals { get; } = new EntityTable();
        public EntityTable Grants { get; } = new EntityTable();
        public EntityTable Assignments { get; } = new EntityTable();

        /// <summary>Client secrets by keyId: only a salted hash is kept, never the secret text.</summary>
        public Dictionary<string, StoredSecret> Secrets { get; } = new Dictionary<string, StoredSecret>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Owners of each application (by application object id): the principals that created it.</summary>
        public Dictionary<string, List<string>> Owners { get; } = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Signs every token the tenant issues.</summary>
        public SigningKey SigningKey { get; set; } = null!;

        /// <summary>The managed identity endpoint's shared secret (IDENTITY_HEADER).</summary>
        public string IdentityHeader { get; set; } = "";

        /// <summary>The object id of the built-in administrator (admin@{initial domain}).</summary>
        public string AdministratorId { get; set; } = "";

        public string InitialDomain => Name + ".onmicrosoft.com";

        public IReadOnlyList<string> AllDomains => new[] { InitialDomain }.Concat(CustomDomains).ToList();

        public static TenantState New(LocalTenantOptions options, GraphSchema schema, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(options.Name) || options.Name.Any(c => !(char.IsLetterOrDigit(c) || c == '-')))
                throw new ArgumentException("The tenant name must be letters, digits and hyphens (it becomes <name>.onmicrosoft.com).", nameof(options));
            var state = new TenantState
            {
                TenantId = (options.TenantId ?? Guid.NewGuid()).ToString(),
                Name = options.Name.ToLowerInvariant(),
                DisplayName = options.DisplayName,
                CreatedDateTime = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                EnforceIdentifierUriPolicy = options.EnforceIdentifierUriPolicy,
                MicrosoftGraphServicePrincipalId = Guid.NewGuid().ToString(),
            };
            state.CreateIdentity();
            state.CustomDomains.AddRange(options.VerifiedDomains.Select(d => d.ToLowerInvariant()));
            state.SeedBuiltIns(schema);
            return state;
        }

        /// <summary>Adds the service principals every tenant has (Microsoft Graph). They are rebuilt from the catalog, not persisted.</summary>
        public void SeedBuiltIns(GraphSchema schema)
        {
            ServicePrincipals.Add(PermissionCatalog.BuildMicrosoftGraphServicePrincipal(schema, MicrosoftGraphServicePrincipalId), DateTimeOffset.MinValue);
        }

        /// <summary>The identity-provider half of a tenant: a signing key, the managed identity secret and the administrator.</summary>
        public void CreateIdentity()
        {
            SigningKey = SigningKey.Create();
            IdentityHeader = NewSecret();
            AdministratorId = Guid.NewGuid().ToString();
        }

        private static string NewSecret()
        {
            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return Base64Url.Encode(bytes);
        }

        public bool IsBuiltIn(JsonObject sp) => string.Equals((string?)sp["id"], MicrosoftGraphServicePrincipalId, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A client secret's salted SHA-256. Secrets are random and long, so a slow KDF buys nothing here.</summary>
    internal sealed class StoredSecret
    {
        public StoredSecret(string applicationId, string salt, string hash) { ApplicationId = applicationId; Salt = salt; Hash = hash; }

        public string ApplicationId { get; }
        public string Salt { get; }
        public string Hash { get; }

        public static StoredSecret Create(string applicationId, string secret)
        {
            var salt = new byte[16];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(salt);
            var saltText = Convert.ToBase64String(salt);
            return new StoredSecret(applicationId, saltText, Compute(saltText, secret));
        }

        public bool Matches(string secret)
        {
            var a = Convert.FromBase64String(Hash);
            var b = Convert.FromBase64String(Compute(Salt, secret));
            int diff = a.Length ^ b.Length;
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }

        private static string Compute(string salt, string secret)
        {
            using var sha = SHA256.Create();
            return Convert.ToBase64String(sha.ComputeHash(Convert.FromBase64String(salt).Concat(Encoding.UTF8.GetBytes(secret)).ToArray()));
        }
    }
}
