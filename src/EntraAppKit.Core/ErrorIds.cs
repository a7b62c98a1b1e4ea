namespace EntraAppKit.Core
{
    /// <summary>Stable error ids: the cmdlets put them in ErrorRecord.FullyQualifiedErrorId.</summary>
    public static class ErrorIds
    {
        public const string NotConnected = "NotConnected";
        public const string UnknownPermission = "UnknownPermission";
        public const string UnknownResource = "UnknownResource";
        public const string GraphRequestFailed = "GraphRequestFailed";
        public const string ReplicationTimeout = "ReplicationTimeout";
        public const string InvalidRecipeInput = "InvalidRecipeInput";
        public const string LocalTenantState = "LocalTenantState";
        public const string ApplicationNotFound = "ApplicationNotFound";
        public const string TokenExpired = "TokenExpired";
        public const string AuthenticationFailed = "AuthenticationFailed";
        public const string InsufficientPermissions = "InsufficientPermissions";

        /// <summary>The derived key of -Name is the app another name made (names that differ only in case, spaces or punctuation share a key).</summary>
        public const string UniqueNameTaken = "UniqueNameTaken";

        /// <summary>The app found by the key was made by another recipe, which this one does not convert unless adopted with -ClientId.</summary>
        public const string AppOfAnotherRecipe = "AppOfAnotherRecipe";

        /// <summary>A change needed confirming and the host cannot prompt (non-interactive): nothing was changed.</summary>
        public const string ConfirmationRequired = "ConfirmationRequired";

        /// <summary>A read-modify-write did not converge: a concurrent writer kept undoing it (nothing is lost silently).</summary>
        public const string ConcurrentUpdate = "ConcurrentUpdate";

        /// <summary>The run made a secret but could not shape its output: the error record's target carries the secret.</summary>
        public const string SecretInErrorRecord = "SecretInErrorRecord";

        /// <summary>
        /// An admin consent URL was asked for the tenant <c>common</c>, which Microsoft's admin consent endpoint is not to be
        /// given (learn.microsoft.com/entra/identity-platform/v2-admin-consent): a customer's GUID, verified domain or <c>organizations</c> is.
        /// </summary>
        public const string CommonTenantNotAllowed = "CommonTenantNotAllowed";

        /// <summary>A tenant is neither a GUID, a domain name nor <c>organizations</c> (or is <c>consumers</c>, whose accounts cannot consent for an organization).</summary>
        public const string InvalidTenant = "InvalidTenant";

        /// <summary>An admin consent URL needs a redirect URI, and none was given and the app has no web redirect URI.</summary>
        public const string NoRedirectUri = "NoRedirectUri";

        // ----- Get-EntraAppConsent / Revoke-EntraAppConsent -----

        /// <summary>
        /// Revoke-EntraAppConsent named a permission the app holds both as a delegated and as an application permission, without
        /// -Kind to say which: nothing was changed.
        /// </summary>
        public const string AmbiguousPermission = "AmbiguousPermission";

        // ----- Service principals -----

        /// <summary>No service principal (enterprise application) with the client id or object id exists in the connected tenant.</summary>
        public const string ServicePrincipalNotFound = "ServicePrincipalNotFound";

        /// <summary>
        /// Graph refused to create a service principal because no application backs its appId here or as another tenant's
        /// multi-tenant app (400 NoBackingApplicationObject, learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals):
        /// an unknown client id, or a single-tenant app of another tenant.
        /// </summary>
        public const string NoBackingApplication = "NoBackingApplication";

        // ----- Tenant app policy (Set-EntraTenantAppPolicy) -----

        /// <summary>A reviewer of the admin consent workflow that is not a user of the tenant.</summary>
        public const string ReviewerNotFound = "ReviewerNotFound";

        /// <summary>A combination Entra refuses, e.g. the admin consent workflow on without reviewers.</summary>
        public const string InvalidTenantAppPolicy = "InvalidTenantAppPolicy";

        // ----- Client secrets: New-/Update-EntraAppSecret, Remove-EntraAppCredential -----

        /// <summary>Remove-EntraAppCredential was asked to remove the app's last credential (secret or certificate) without -Force: nothing was changed.</summary>
        public const string LastCredential = "LastCredential";

        // ----- Certificates -----

        /// <summary>This .NET runtime cannot make a certificate (no CertificateRequest): make one elsewhere and pass -CertificatePath.</summary>
        public const string CertificateGenerationUnavailable = "CertificateGenerationUnavailable";

        /// <summary>-Thumbprint names the Windows certificate store, which only Windows has.</summary>
        public const string CertificateStoreUnavailable = "CertificateStoreUnavailable";

        /// <summary>A certificate file (or a store entry) could not be read, or is not an RSA certificate Entra takes.</summary>
        public const string InvalidCertificate = "InvalidCertificate";

        /// <summary>
        /// Adding a certificate by PATCH would drop an existing key: Graph did not return that key's material, and a PATCH of
        /// keyCredentials replaces the whole collection. Nothing was changed; -ProofCertificatePath (addKey) adds without a PATCH.
        /// </summary>
        public const string ExistingKeyUnavailable = "ExistingKeyUnavailable";

        /// <summary>The -ProofCertificatePath certificate is not a valid certificate credential of the app, so Graph would refuse addKey's proof.</summary>
        public const string ProofCertificateNotOnApp = "ProofCertificateNotOnApp";
    }
}
