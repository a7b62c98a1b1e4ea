using System;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// A request of a <see cref="GraphBatch"/> that never left: what it had to follow failed (Graph answered its item 424, or the
    /// batch did not send it), so nothing it would have written exists and there is nothing to clean up.
    /// </summary>
    internal sealed class RequestNotSentException : OperationCanceledException
    {
        public RequestNotSentException(string message) : base(message) { }
    }
}
