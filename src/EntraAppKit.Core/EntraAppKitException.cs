using System;

namespace EntraAppKit.Core
{
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

        /// <summary>The user's input is wrong: refused before any write.</summary>
        public static EntraAppKitException InvalidInput(string message) =>
            new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, message);
    }
}
