using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>A token used as is (-AccessToken). When it runs out, the error says when.</summary>
    public sealed class StaticTokenCredential : TokenCredential
    {
        private readonly string _token;
        private readonly DateTimeOffset _expiresOn;

        public StaticTokenCredential(string token)
        {
            _token = token;
            _expiresOn = TokenClaims.Read(token)?.ExpiresOn ?? DateTimeOffset.MaxValue;
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            if (DateTimeOffset.UtcNow >= _expiresOn)
                throw new EntraAppKitException(ErrorIds.TokenExpired, EntraErrorCategory.PermissionDenied,
                    $"The access token given to Connect-EntraAppKit -AccessToken expired at {_expiresOn.UtcDateTime:u}. Get a new one and connect again.");
            return new AccessToken(_token, _expiresOn);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new ValueTask<AccessToken>(GetToken(requestContext, cancellationToken));
    }
}
