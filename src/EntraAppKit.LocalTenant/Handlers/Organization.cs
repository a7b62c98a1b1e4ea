using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Query;

namespace EntraAppKit.LocalTenant
{
    // /organization and /domains (graph-ground-truth §0.1).
    public sealed partial class LocalTenantEngine
    {
        private GraphResponse Organization(GraphRequest request, string? keyName, string? keyValue, string[] rest)
        {
            var caller = CallerOf(request);
            bool full = caller.HasAny(ReadOrganization);
            // §0.1: "Applications granted the User.Read permission are able to read only the id, displayName, and verifiedDomains properties."
            if (!full && (caller.IsAppOnly || !caller.Has("User.Read"))) throw Denied();
            RequireMethod(request, "GET");
            if (rest.Length > 0) throw GraphException.NoRoute(rest[0]);
            string context = ServiceRoot(request) + "/$metadata#organization";
            var org = BuildOrganization();
            if (!full)
                foreach (var name in org.Select(kv => kv.Key).Where(k => k != "id" && k != "displayName" && k != "verifiedDomains").ToList()) org.Remove(name);
            if (keyName == null) return Json(200, CollectionQuery.Parse(request, Schema, "organization", "Organization").Page(new[] { org }, request, context));
            if (!Eq(org["id"], keyValue!)) throw GraphException.NotFound(keyValue!);
            return Json(200, Entity(org, context, request, Schema, "organization"));
        }

        private GraphResponse Domains(GraphRequest request, string? keyName, string? keyValue, string[] rest)
        {
            Demand(request, ReadDomains);
            RequireMethod(request, "GET");
            if (rest.Length > 0) throw GraphException.NoRoute(rest[0]);
            string context = ServiceRoot(request) + "/$metadata#domains";
            var domains = _state.AllDomains.Select(BuildDomain).ToList();
            if (keyName == null) return Json(200, CollectionQuery.Parse(request, Schema, "domain", "Domain").Page(domains, request, context));
            var domain = domains.FirstOrDefault(d => Eq(d["id"], keyValue!)) ?? throw GraphException.NotFound(keyValue!);
            return Json(200, Entity(domain, context, request, Schema, "domain"));
        }

        private JsonObject BuildOrganization()
        {
            var org = Schema.Defaults("organization", new System.Collections.Generic.HashSet<string>());
            org["id"] = _state.TenantId;
            org["displayName"] = _state.DisplayName;
            org["createdDateTime"] = _state.CreatedDateTime;
            org["tenantType"] = "AAD";
            org["countryLetterCode"] = "US";
            org["preferredLanguage"] = "en";
            var verified = new JsonArray();
            string defaultDomain = _state.InitialDomain; // stays the default until an admin picks another (not modelled)
            foreach (var d in _state.AllDomains)
                verified.Add(new JsonObject
                {
                    ["capabilities"] = d == _state.InitialDomain ? "Email, OfficeCommunicationsOnline" : "Email",
                    ["isDefault"] = d == defaultDomain,
                    ["isInitial"] = d == _state.InitialDomain,
                    ["name"] = d,
                    ["type"] = "Managed",
                });
            org["verifiedDomains"] = verified;
            return org;
        }

        private JsonObject BuildDomain(string name)
        {
            var d = Schema.Defaults("domain", new System.Collections.Generic.HashSet<string>());
            d["id"] = name;
            d["authenticationType"] = "Managed";
            d["isAdminManaged"] = true;
            d["isDefault"] = name == _state.InitialDomain;
            d["isInitial"] = name == _state.InitialDomain;
            d["isRoot"] = true;
            d["isVerified"] = true;
            d["supportedServices"] = new JsonArray("Email", "OfficeCommunicationsOnline");
            return d;
        }
    }
}
