using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>
    /// Unix permissions for files that hold the tenant's private signing key: read and write for the owner only (0600), or
    /// stricter when the file the user made already was. This assembly targets netstandard2.0 (Windows PowerShell loads it),
    /// so File.Get/SetUnixFileMode (.NET 7) are reached by reflection; every PowerShell 7 and the server have them. On Windows
    /// the file inherits its folder's ACL, as files in the user's profile do.
    /// </summary>
    internal static class OwnerOnlyFileMode
    {
        /// <summary>UnixFileMode.UserRead | UnixFileMode.UserWrite.</summary>
        public const int OwnerReadWrite = 0x180; // 0600

        private static readonly Type? ModeType = Type.GetType("System.IO.UnixFileMode");
        private static readonly MethodInfo? GetMode = ModeType == null ? null : typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
        private static readonly MethodInfo? SetMode = ModeType == null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), ModeType });

        /// <summary>Whether this platform has Unix permissions that the runtime can set.</summary>
        public static bool Supported => SetMode != null && GetMode != null && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The mode of <paramref name="path"/>, or null where modes do not apply or the file is missing.</summary>
        public static int? Of(string path)
        {
            if (!Supported || !File.Exists(path)) return null;
            return Convert.ToInt32(Invoke(GetMode!, path));
        }

        /// <summary>
        /// Restricts <paramref name="path"/> to its owner: 0600, narrowed further to what <paramref name="existingMode"/> (the
        /// mode of the file it replaces) allowed, so a user's stricter choice survives every save.
        /// </summary>
        public static void Apply(string path, int? existingMode)
        {
            if (!Supported) return;
            int mode = OwnerReadWrite & (existingMode ?? OwnerReadWrite);
            Invoke(SetMode!, path, Enum.ToObject(ModeType!, mode));
        }

        private static object? Invoke(MethodInfo method, params object[] args)
        {
            try { return method.Invoke(null, args); }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw; // unreachable
            }
        }
    }
}
