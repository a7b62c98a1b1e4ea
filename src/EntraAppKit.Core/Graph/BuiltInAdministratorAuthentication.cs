using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// Authenticates a target's built-in administrator: with no token where the target admits it without one (an in-process
    /// local tenant that does not require authentication, whose built-in administrator it then is), so nothing is signed
    /// and the tenant needs no signing key until a token is really asked for; otherwise with the credential's token.
    /// </summary>
    internal sealed class BuiltInAdministratorAuthentication : IAuthenticationProvider
    {
        private readonly IAuthenticationProvider _withToken;
        private readonly Func<bool> _needsNoToken;

        public BuiltInAdministratorAuthentication(IAuthenticationProvider withToken, Func<bool> needsNoToken)
        {
            _withToken = withToken; _needsNoToken = needsNoToken;
        }

        // Asked per request: the tenant may start requiring authentication while connected.
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            _needsNoToken() ? Task.CompletedTask : _withToken.AuthenticateRequestAsync(request, additionalAuthenticationContext, cancellationToken);
    }
}
