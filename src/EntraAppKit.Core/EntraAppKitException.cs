using System;

namespace EntraAppKit.Core
{
    /// <summary>A failure the core reports with a stable id and category.</summary>
    public sealed class EntraAppKitException : Exception
    {
        public EntraAppKitException(string errorId, EntraErrorCategory category, string message, Exception? inner = null, string? requestId = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            RequestId = requestId;
        }

        public string ErrorId { get; }
        public EntraErrorCategory Category { get; }

        /// <summary>Graph's request-id when Graph refused the request (the cmdlets put it in ErrorDetails).</summary>
        public string? RequestId { get; }

        /// <summary>What the error record names as its target when it should hand something back (a secret the run made).</summary>
        public object? TargetObject { get; set; }

        /// <summary>The user's input is wrong: refused before any write.</summary>
        public static EntraAppKitException InvalidInput(string message) =>
            new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, message);
    }
}
