namespace EntraAppKit.Core
{
    /// <summary>Mirrors PowerShell's ErrorCategory for the values the core uses, without referencing PowerShell.</summary>
    public enum EntraErrorCategory
    {
        InvalidArgument,
        ObjectNotFound,
        PermissionDenied,
        ConnectionError,
        OperationTimeout,
        InvalidOperation,
        ResourceUnavailable,
        ResourceBusy,
        ResourceExists,
    }
}
