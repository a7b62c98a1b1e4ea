namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>Which of an application's platforms registered a redirect URI (learn.microsoft.com/graph/api/resources/application: web, spa, publicClient).</summary>
    internal enum RedirectPlatform
    {
        /// <summary>web.redirectUris: a confidential client that redeems its code with a secret or certificate.</summary>
        Web,

        /// <summary>spa.redirectUris: redeems its code cross-origin (an Origin header), with PKCE, without a secret.</summary>
        Spa,

        /// <summary>publicClient.redirectUris: a mobile or desktop app, which redeems its code without a secret.</summary>
        PublicClient,
    }
}
