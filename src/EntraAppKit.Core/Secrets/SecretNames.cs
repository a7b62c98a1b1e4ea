using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Secrets
{
    /// <summary>
    /// A new client secret's display name, for a recipe's secret and New-/Update-EntraAppSecret alike. Pure: plans use it without
    /// reaching <see cref="ClientSecretWriter"/>, which writes.
    /// </summary>
    public static class SecretNames
    {
        /// <summary>"{baseName} {today}", numbered (" #2", …) when the app already has a secret by that name, so a name finds one secret.</summary>
        public static string Unique(string baseName, IEnumerable<PasswordCredential> existing)
        {
            var taken = existing.Select(p => p.DisplayName).ToList();
            string name = $"{baseName} {DateTimeOffset.UtcNow:yyyy-MM-dd}".Trim();
            string candidate = name;
            for (int n = 2; taken.Any(t => string.Equals(t, candidate, StringComparison.Ordinal)); n++) candidate = $"{name} #{n}";
            return candidate;
        }
    }
}
