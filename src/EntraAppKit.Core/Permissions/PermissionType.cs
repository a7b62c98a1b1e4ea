namespace EntraAppKit.Core.Permissions
{
    /// <summary>Delegated (type "Scope") or application (type "Role") permission.</summary>
    public enum PermissionType
    {
        Delegated,
        Application,
    }
}
