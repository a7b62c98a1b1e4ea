using System;

namespace EntraAppKit.Core.Graph
{
    /// <summary>Options for a <see cref="GraphSession"/>.</summary>
    public sealed class GraphSessionOptions
    {
        /// <summary>Receives one line per Graph call (method, path, status, request-id, ms). Never a body or a secret.</summary>
        public Action<string>? Trace { get; set; }
    }
}
