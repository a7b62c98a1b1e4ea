using System.Collections;

namespace EntraAppKit.Model.Recipes
{
    /// <summary>The values Configuration Manager's client-app import dialog and Import-CMAADClientApplication take.</summary>
    public sealed class CmgClientApp : AppRegistrationOutput
    {
        public string AppName { get; set; } = "";
        public string ServerClientId { get; set; } = "";

        /// <summary>The server app piped in (New-CmgServerApp's output), so its secret stays reachable: <c>$client.ServerApp.SecretKey</c>.</summary>
        public object? ServerApp { get; set; }

        /// <summary>Exactly the parameters of Import-CMAADClientApplication (by tenant id), for splatting: <c>$p = $client.ToImportParameters(); Import-CMAADClientApplication @p</c>.</summary>
        public Hashtable ToImportParameters() => new Hashtable
        {
            ["AppName"] = AppName,
            ["ClientId"] = ClientId,
            ["TenantId"] = TenantId,
        };
    }
}
