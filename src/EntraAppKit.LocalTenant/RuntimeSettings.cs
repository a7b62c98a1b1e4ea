namespace EntraAppKit.LocalTenant
{
    /// <summary>The engine's settings that may change while it runs (they are not saved with the tenant).</summary>
    internal sealed class RuntimeSettings
    {
        /// <summary>Whether a Graph request without a token gets Graph's 401.</summary>
        public bool RequireAuthentication { get; set; }

        /// <summary>The device code flow's polling interval in seconds.</summary>
        public int DeviceCodeIntervalSeconds { get; set; } = 5;

        /// <summary>The built-in administrator's password at the sign-in page; null: no password signs it in.</summary>
        public string? AdministratorPassword { get; set; }

        /// <summary>Whether a grant that answers 404 for replication lag is applied anyway.</summary>
        public bool LaggedGrantWritesApply { get; set; } = true;
    }
}
