using System;

namespace EntraAppKit.Core.Graph
{
    /// <summary>One Graph round trip as the client saw it.</summary>
    public sealed class GraphCall
    {
        public GraphCall(string method, string path, int status, string? requestId, TimeSpan duration)
        {
            Method = method; Path = path; Status = status; RequestId = requestId; Duration = duration;
        }

        public string Method { get; }
        public string Path { get; }
        public int Status { get; }
        public string? RequestId { get; }
        public TimeSpan Duration { get; }

        public override string ToString() => $"{Method} {Path} -> {Status} (request-id {RequestId ?? "none"}, {Duration.TotalMilliseconds:0} ms)";
    }
}
