using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>What a fresh service principal looks like before its creator's values are applied.</summary>
    internal static class ServicePrincipalDefaults
    {
        /// <summary>The complex properties Graph returns as objects (not null) on a service principal.</summary>
        public static readonly HashSet<string> Materialized = new HashSet<string>(StringComparer.Ordinal)
        {
            "informationalUrl", "samlSingleSignOnSettings", "verifiedPublisher",
        };

        public static JsonObject New(GraphSchema schema)
        {
            var sp = schema.Defaults("servicePrincipal", Materialized);
            sp["accountEnabled"] = true;
            sp["appRoleAssignmentRequired"] = false;
            return sp;
        }
    }
}
