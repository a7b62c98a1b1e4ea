namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>How a route addresses an object of its entity set.</summary>
    internal enum RouteKey
    {
        /// <summary>The collection itself: <c>applications</c>, <c>applications/$count</c>.</summary>
        None,

        /// <summary><c>{key}</c>: an item by id or an alternate key, looked up before the rest of the path is matched.</summary>
        Item,

        /// <summary><c>{uniqueName}</c>, <c>{appId}</c>: that alternate key only, not looked up (an upsert may create the object).</summary>
        AlternateKey,
    }
}
