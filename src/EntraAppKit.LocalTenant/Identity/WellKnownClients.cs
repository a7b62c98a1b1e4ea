using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// Microsoft's first-party public clients that sign users in to any tenant without being registered there: their
    /// application objects live in Microsoft's tenant, and a tenant gets their service principal on first consent.
    /// </summary>
    internal static class WellKnownClients
    {
        private static readonly Dictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            // The client Microsoft Graph PowerShell (and EntraAppKit's user sign-in) uses.
            ["14d82eec-204b-4c2f-b7e8-296a70dab67e"] = "Microsoft Graph Command Line Tools",
            ["04b07795-8ddb-461a-bbee-02f9e1bf7b46"] = "Microsoft Azure CLI",
            ["1950a258-227b-4e31-a9cf-717495945fc2"] = "Microsoft Azure PowerShell",
        };

        public const string GraphCommandLineTools = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

        public static string? DisplayName(string appId) => Names.TryGetValue(appId, out var name) ? name : null;
    }
}
