// Public types PowerShell sees: cmdlet parameters and outputs. This assembly has no dependencies and stays in PowerShell's
// default load context, so users can name these types; the engine and its dependencies load in the module's own context.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Security;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>The facts every recipe cmdlet returns, besides the values its vendor's console asks for.</summary>
    public abstract class AppRegistrationOutput
    {
        public string DisplayName { get; set; } = "";

        /// <summary>The application (client) id; our cmdlets bind to it by property name.</summary>
        public string ClientId { get; set; } = "";

        public string ObjectId { get; set; } = "";
        public string? ServicePrincipalId { get; set; }
        public string TenantId { get; set; } = "";

        /// <summary>The tenant's initial domain (contoso.onmicrosoft.com).</summary>
        public string TenantName { get; set; } = "";

        public string UniqueName { get; set; } = "";

        /// <summary>When the secret added by this run expires; else the latest existing secret's expiry.</summary>
        public DateTimeOffset? SecretExpires { get; set; }

        /// <summary>What this run changed (empty when the tenant already matched).</summary>
        public string[] Changes { get; set; } = Array.Empty<string>();

        public string[] Warnings { get; set; } = Array.Empty<string>();

    }

    /// <summary>What Rewst's integration form asks for, plus the common facts.</summary>
    public sealed class RewstAppRegistration : AppRegistrationOutput
    {
        /// <summary>Rewst's "Client Secret": a SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }

        /// <summary>Rewst's "Auth Subject": the tenant id (single tenant) or <c>common</c> (multitenant).</summary>
        public string AuthSubject { get; set; } = "";

        public string RedirectUri { get; set; } = "https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback";

    }

    /// <summary>Where the CMG server app's http://localhost redirect goes.</summary>
    public enum CmgRedirectPlatform
    {
        /// <summary>Public client/native (mobile and desktop), as seed 001 says.</summary>
        PublicClient,

        /// <summary>Web, as Microsoft's current page says (graph-ground-truth §3).</summary>
        Web,
    }

    /// <summary>
    /// The values Configuration Manager's server-app import dialog and Import-CMAADServerApplication take, with their types.
    /// </summary>
    public sealed class CmgServerApp : AppRegistrationOutput
    {
        /// <summary>"Application Name" / -AppName.</summary>
        public string AppName { get; set; } = "";

        /// <summary>"Secret Key" / -SecretKey; null when the run added no secret (Graph never returns it again).</summary>
        public SecureString? SecretKey { get; set; }

        /// <summary>"Secret Key Expiry" / -SecretKeyExpiry.</summary>
        public DateTime? SecretKeyExpiry { get; set; }

        /// <summary>"App ID URI" / -AppIdUri.</summary>
        public Uri? AppIdUri { get; set; }

        /// <summary>The same as <see cref="AppRegistrationOutput.ClientId"/>, named so New-CmgClientApp -ServerClientId binds to it from the pipeline.</summary>
        public string ServerClientId => ClientId;

        /// <summary>Exactly the parameters of Import-CMAADServerApplication, for splatting: <c>$p = $app.ToImportParameters(); Import-CMAADServerApplication @p</c>.</summary>
        public Hashtable ToImportParameters() => new Hashtable
        {
            ["TenantName"] = TenantName,
            ["TenantId"] = TenantId,
            ["AppName"] = AppName,
            ["ClientId"] = ClientId,
            ["SecretKey"] = SecretKey,
            ["SecretKeyExpiry"] = SecretKeyExpiry,
            ["AppIdUri"] = AppIdUri,
        };
    }

    /// <summary>The values Configuration Manager's client-app import dialog and Import-CMAADClientApplication take.</summary>
    public sealed class CmgClientApp : AppRegistrationOutput
    {
        public string AppName { get; set; } = "";
        public string ServerClientId { get; set; } = "";
    }

    /// <summary>What the WriteBackExtreme "+ OAuth Configuration" form asks for.</summary>
    public sealed class WriteBackAppRegistration : AppRegistrationOutput
    {
        /// <summary>A SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }
    }

    /// <summary>The values Konnect's Dev Portal "Application Setup" asks for.</summary>
    public sealed class KonnectDcrApp : AppRegistrationOutput
    {
        /// <summary>"Issuer URL": https://sts.windows.net/{tenantId}, with no trailing slash.</summary>
        public string IssuerUrl { get; set; } = "";

        /// <summary>"Consumer claims".</summary>
        public string ConsumerClaim { get; set; } = "appid";

        /// <summary>"Initial Client ID".</summary>
        public string InitialClientId { get; set; } = "";

        /// <summary>"Initial Client Secret": a SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? InitialClientSecret { get; set; }
    }

    /// <summary>The general recipe's output: the common facts and the secret.</summary>
    public sealed class EntraAppRegistrationResult : AppRegistrationOutput
    {
        /// <summary>A SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }

        public string SignInAudience { get; set; } = "";
    }
}
