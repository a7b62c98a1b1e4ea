namespace EntraAppKit.LocalTenant.Diagnostics
{
    /// <summary>What a logged request was: only Graph requests count as Graph round trips.</summary>
    public enum RequestKind
    {
        /// <summary>Microsoft Graph under /v1.0 (or /beta, refused), including each request inside a $batch.</summary>
        Graph,

        /// <summary>A sign-in endpoint: token, device code, OpenID and instance discovery, keys, managed identity.</summary>
        Identity,

        /// <summary>Azure Resource Manager (/subscriptions, /tenants), which az asks after signing in.</summary>
        ResourceManager,
    }
}
