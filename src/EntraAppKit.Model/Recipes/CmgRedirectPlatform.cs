namespace EntraAppKit.Model.Recipes
{
    /// <summary>Where the CMG server app's http://localhost redirect goes.</summary>
    public enum CmgRedirectPlatform
    {
        /// <summary>Public client/native (mobile and desktop), as the Configuration Manager page's manual steps say.</summary>
        PublicClient,

        /// <summary>Web, as Microsoft's current page says.</summary>
        Web,
    }
}
