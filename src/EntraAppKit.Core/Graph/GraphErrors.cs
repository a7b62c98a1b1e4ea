using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Graph.Models.ODataErrors;

namespace EntraAppKit.Core.Graph
{
    /// <summary>Reads Graph's errors by code, not by message (learn.microsoft.com/graph/errors).</summary>
    internal static class GraphErrors
    {
        public static bool IsNotFound(Exception e) => e is ODataError o && o.ResponseStatusCode == 404;

        /// <summary>Runs a read; Graph's 404 becomes null, any other failure a wrapped error naming <paramref name="action"/>.</summary>
        public static async Task<T?> NullWhenNotFound<T>(Func<Task<T?>> get, string action = "Reading from Microsoft Graph") where T : class
        {
            try { return await get().ConfigureAwait(false); }
            catch (Exception e) when (IsNotFound(e)) { return null; }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw Wrap(e, action); }
        }

        /// <summary>
        /// The errors Graph answers for objects that have not replicated yet: a new application or service principal is not
        /// found for a while (reported in github.com/Azure/azure-cli/issues/21674 and microsoftgraph/msgraph-sdk-dotnet/issues/3108).
        /// </summary>
        public static bool IsReplicationLag(Exception e)
        {
            if (!(e is ODataError o)) return false;
            string? code = o.Error?.Code;
            if (o.ResponseStatusCode == 404 && (code == "Request_ResourceNotFound" || code == "Directory_ObjectNotFound")) return true;
            if (o.ResponseStatusCode == 400 && o.Error?.Details?.Any(d => d.Code == "NoBackingApplicationObject") == true) return true;
            if (o.ResponseStatusCode == 400 && (o.Error?.Message ?? "").Contains("does not reference a valid application object")) return true;
            if (o.ResponseStatusCode == 403 && (o.Error?.Message ?? "").Contains("backing application of the service principal being created")) return true;
            return false;
        }

        /// <summary>
        /// Graph refused a create because the object exists already: 409 <c>Request_MultipleObjectsWithSameKeyValue</c> (a service
        /// principal), or 400 for a duplicate grant ("Permission entry already exists.") or app role assignment ("Permission being
        /// assigned already exists on the object"), which carry only the generic code (learn.microsoft.com/graph/errors). For a
        /// desired-state engine that is a concurrent run's success: the caller re-reads the object and continues.
        /// </summary>
        public static bool IsAlreadyExists(Exception e)
        {
            if (!(e is ODataError o)) return false;
            if (o.ResponseStatusCode == 409 || o.Error?.Code == "Request_MultipleObjectsWithSameKeyValue") return true;
            return o.ResponseStatusCode == 400 &&
                (o.Error?.Details?.Any(d => d.Code == "ObjectConflict") == true || (o.Error?.Message ?? "").IndexOf("already exists", StringComparison.OrdinalIgnoreCase) >= 0);
        }

        /// <summary>Runs <paramref name="operation"/> and turns any failure but cancellation into a stable error naming <paramref name="action"/>.</summary>
        public static async Task<T> Guard<T>(string action, Func<Task<T>> operation)
        {
            try { return await operation().ConfigureAwait(false); }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw Wrap(e, action); }
        }

        public static EntraAppKitException Wrap(Exception e, string action)
        {
            if (e is EntraAppKitException known) return known;
            if (e is ODataError o)
            {
                string? requestId = o.ResponseHeaders != null && o.ResponseHeaders.TryGetValue("request-id", out var ids) ? ids.FirstOrDefault() : null;
                var category = o.ResponseStatusCode == 403 || o.ResponseStatusCode == 401 ? EntraErrorCategory.PermissionDenied
                    : o.ResponseStatusCode == 404 ? EntraErrorCategory.ObjectNotFound
                    : o.ResponseStatusCode >= 500 || o.ResponseStatusCode == 429 ? EntraErrorCategory.ResourceUnavailable
                    : EntraErrorCategory.InvalidOperation;
                return new EntraAppKitException(ErrorIds.GraphRequestFailed, category,
                    $"{action} failed: Graph answered {o.ResponseStatusCode} {o.Error?.Code}: {o.Error?.Message}", e, requestId);
            }
            return new EntraAppKitException(ErrorIds.GraphRequestFailed, EntraErrorCategory.ConnectionError, $"{action} failed: {e.Message}", e);
        }
    }
}
