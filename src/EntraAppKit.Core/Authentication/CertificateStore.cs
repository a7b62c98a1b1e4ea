using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>Certificates in the Windows certificate store (CurrentUser, then LocalMachine 'My').</summary>
    public static class CertificateStore
    {
        public static X509Certificate2 Find(string thumbprint)
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using var store = new X509Store(StoreName.My, location);
                try { store.Open(OpenFlags.ReadOnly); }
                catch (CryptographicException) { continue; }
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint.Replace(" ", ""), validOnly: false);
                if (found.Count > 0) return found[0];
            }
            throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.ObjectNotFound,
                $"No certificate with thumbprint {thumbprint} is in the CurrentUser or LocalMachine 'My' store.");
        }
    }
}
