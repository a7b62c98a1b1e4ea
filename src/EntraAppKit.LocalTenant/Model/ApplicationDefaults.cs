using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>What a fresh application looks like before its creator's values are applied.</summary>
    internal static class ApplicationDefaults
    {
        /// <summary>The complex properties Graph returns as objects (not null) on a new application (application-post-applications sample).</summary>
        public static readonly HashSet<string> Materialized = new HashSet<string>(StringComparer.Ordinal)
        {
            "apiApplication", "implicitGrantSettings", "informationalUrl", "parentalControlSettings", "publicClientApplication",
            "spaApplication", "webApplication", "verifiedPublisher",
        };

        public static JsonObject New(GraphSchema schema)
        {
            var app = schema.Defaults("application", Materialized);
            app["parentalControlSettings"]!["legalAgeGroupRule"] = "Allow";
            Normalize(app);
            return app;
        }

        /// <summary>
        /// The implicit-grant flags are plain booleans in the directory: Graph answers false, never null, when they are not set
        /// (learn.microsoft.com/graph/api/application-post-applications, sample 201 response), also when a body leaves them out of a new
        /// implicitGrantSettings or sends them as null.
        /// </summary>
        public static void Normalize(JsonObject app)
        {
            if (!(app["web"]?["implicitGrantSettings"] is JsonObject flags)) return;
            foreach (var name in new[] { "enableAccessTokenIssuance", "enableIdTokenIssuance" })
                if (flags[name] == null) flags[name] = false;
        }
    }
}
