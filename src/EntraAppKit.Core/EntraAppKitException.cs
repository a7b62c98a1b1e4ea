using System;

namespace EntraAppKit.Core
{
    /// <summary>Stable error ids: the cmdlets put them in ErrorRecord.FullyQualifiedErrorId.</summary>
    public static class ErrorIds
    {
        public const string NotConnected = "NotConnected";
        public const string UnknownPermission = "UnknownPermission";
        public const string UnknownResource = "UnknownResource";
        public const string GraphRequestFailed = "GraphRequestFailed";
        public const string ReplicationTimeout = "ReplicationTimeout";
        public const string InvalidRecipeInput = "InvalidRecipeInput";
        public const string LocalTenantState = "LocalTenantState";
        public const string ApplicationNotFound = "ApplicationNotFound";
        public const string VendorInputRejected = "VendorInputRejected";
        public const string TokenExpired = "TokenExpired";
        public const string AuthenticationFailed = "AuthenticationFailed";
        public const string InsufficientPermissions = "InsufficientPermissions";
    }

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
    }

    /// <summary>A failure the core reports with a stable id and category.</summary>
    public sealed class EntraAppKitException : Exception
    {
        public EntraAppKitException(string errorId, EntraErrorCategory category, string message, Exception? inner = null, string? graphCode = null, string? requestId = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            GraphCode = graphCode;
            RequestId = requestId;
        }

        public string ErrorId { get; }
        public EntraErrorCategory Category { get; }

        /// <summary>Graph's error code when Graph refused the request.</summary>
        public string? GraphCode { get; }

        public string? RequestId { get; }
    }
}
