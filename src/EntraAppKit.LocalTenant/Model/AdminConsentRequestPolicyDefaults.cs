using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// A new tenant's admin consent request policy (learn.microsoft.com/graph/api/resources/adminconsentrequestpolicy): the
    /// workflow off, no reviewers, as adminconsentrequestpolicy-get answers it for a tenant that never turned it on
    /// (no id member: the example response has none). "version" is Graph's: each PUT adds one.
    /// </summary>
    internal static class AdminConsentRequestPolicyDefaults
    {
        public const string Id = "adminConsentRequestPolicy";

        public static JsonObject New() => new JsonObject
        {
            ["isEnabled"] = false,
            ["notifyReviewers"] = false,
            ["remindersEnabled"] = false,
            ["requestDurationInDays"] = 0,
            ["version"] = 0,
            ["reviewers"] = new JsonArray(),
        };
    }
}
