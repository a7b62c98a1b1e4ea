using System;
using System.Collections;
using System.Management.Automation;

namespace EntraAppKit.Validation
{
    /// <summary>
    /// A value that is there: not $null, not empty, not only white space, and for a list, not empty and without such elements.
    /// Written once for every string and list parameter, so a $null in a list or a '   ' fails at binding with PowerShell's own
    /// ParameterArgumentValidationError (category InvalidData) naming the parameter, instead of deep in the engine.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateNotBlankAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (arguments is PSObject wrapped) arguments = wrapped.BaseObject;
            if (arguments == null) throw new ValidationMetadataException("The argument is $null. Give a value, or leave the parameter out.");
            if (arguments is string text)
            {
                Check(text, null);
                return;
            }
            if (!(arguments is IEnumerable list))
                return; // a single typed value (a scope, an app role): its own conversion checked it
            int index = 0;
            foreach (var item in list)
            {
                var element = item is PSObject w ? w.BaseObject : item;
                if (element == null) throw new ValidationMetadataException($"Element {index} of the list is $null. Remove it, or give a value.");
                if (element is string s) Check(s, index);
                index++;
            }
            if (index == 0) throw new ValidationMetadataException("The list is empty. Give at least one value, or leave the parameter out.");
        }

        private static void Check(string text, int? index)
        {
            string what = index == null ? "The argument" : $"Element {index} of the list";
            if (text.Length == 0) throw new ValidationMetadataException($"{what} is an empty string. Give a value, or leave the parameter out.");
            if (text.Trim().Length == 0) throw new ValidationMetadataException($"{what} is only white space. Give a value, or leave the parameter out.");
            if (text.IndexOf('\0') >= 0) throw new ValidationMetadataException($"{what} contains a NUL character.");
        }
    }
}
