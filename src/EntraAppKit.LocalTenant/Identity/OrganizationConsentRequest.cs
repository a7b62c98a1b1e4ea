using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>What an administrator is asked to consent to on one resource for the whole organization: delegated permissions by value, application permissions (app roles) by id and value.</summary>
    internal sealed class OrganizationConsentRequest
    {
        public OrganizationConsentRequest(TokenResource resource, IReadOnlyList<string> delegated, IReadOnlyList<(string Id, string Value)> application)
        {
            Resource = resource; Delegated = delegated; Application = application;
        }

        public TokenResource Resource { get; }

        public IReadOnlyList<string> Delegated { get; }

        public IReadOnlyList<(string Id, string Value)> Application { get; }
    }
}
