namespace EntraAppKit.Model.Recipes
{
    /// <summary>The values Configuration Manager's client-app import dialog and Import-CMAADClientApplication take.</summary>
    public sealed class CmgClientApp : AppRegistrationOutput
    {
        public string AppName { get; set; } = "";
        public string ServerClientId { get; set; } = "";
    }
}
