using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>
    /// A host whose user answers prompts from a script (e.g. -Confirm: Y, Y, N) and whose screen is recorded: progress records
    /// and lines written. Only what the cmdlets use is implemented; anything else fails loudly, as a host without it would.
    /// </summary>
    public sealed class ScriptedHost : PSHost
    {
        private readonly ScriptedUI _ui;

        public ScriptedHost(params string[] answers) { _ui = new ScriptedUI(answers); }

        public List<ProgressRecord> Progress => _ui.Progress;
        public List<string> Lines => _ui.Lines;
        public int PromptsLeft => _ui.Answers.Count;

        public override string Name => "ScriptedHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        private sealed class ScriptedUI : PSHostUserInterface
        {
            public ScriptedUI(string[] answers) { Answers = new Queue<string>(answers); }

            public Queue<string> Answers { get; }
            public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();
            public List<string> Lines { get; } = new List<string>();

            public override PSHostRawUserInterface? RawUI => null;

            /// <summary>Answers with the next scripted hotkey ("Y", "N", "A", "L").</summary>
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                if (Answers.Count == 0) throw new InvalidOperationException($"Unexpected prompt: {message}");
                string answer = Answers.Dequeue();
                for (int i = 0; i < choices.Count; i++)
                {
                    string label = choices[i].Label;
                    int amp = label.IndexOf('&');
                    if (amp >= 0 && string.Equals(label.Substring(amp + 1, 1), answer, StringComparison.OrdinalIgnoreCase)) return i;
                }
                throw new InvalidOperationException($"No choice '{answer}' in: {message}");
            }

            public override void WriteProgress(long sourceId, ProgressRecord record) => Progress.Add(record);
            public override void Write(string value) => Lines.Add(value);
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Add(value);
            public override void WriteLine(string value) => Lines.Add(value);
            public override void WriteErrorLine(string value) => Lines.Add(value);
            public override void WriteDebugLine(string message) => Lines.Add("DEBUG: " + message);
            public override void WriteVerboseLine(string message) => Lines.Add("VERBOSE: " + message);
            public override void WriteWarningLine(string message) => Lines.Add("WARNING: " + message);
            public override string ReadLine() => throw new NotSupportedException();
            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        }
    }
}
