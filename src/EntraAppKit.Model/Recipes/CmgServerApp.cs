using System;
using System.Collections;
using System.Security;

namespace EntraAppKit.Model.Recipes
{
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

        /// <summary>
        /// The id of the user_impersonation scope the app exposes: with <see cref="AppRegistrationOutput.ServicePrincipalId"/>, what
        /// New-CmgClientApp needs of the server when it is piped in, so it need not wait to read an app that has not replicated yet.
        /// </summary>
        public Guid? UserImpersonationScopeId { get; set; }

        /// <summary>The same as <see cref="AppRegistrationOutput.ClientId"/>, named so New-CmgClientApp -ServerClientId binds to it from the pipeline.</summary>
        public string ServerClientId => ClientId;

        /// <summary>
        /// Exactly the parameters of Import-CMAADServerApplication, for splatting: <c>$p = $app.ToImportParameters(); Import-CMAADServerApplication @p</c>.
        /// Only the run that made the secret can give them: Graph never returns a secret again.
        /// </summary>
        public Hashtable ToImportParameters() => SecretKey == null
            ? throw new InvalidOperationException(
                $"'{AppName}' already had a client secret, so this run made none and Graph never shows one again: Import-CMAADServerApplication needs -SecretKey. " +
                "Use the output of the run that made the secret, or run New-CmgServerApp -NewSecret and use its output.")
            : new Hashtable
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
}
