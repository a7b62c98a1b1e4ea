#nullable disable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace EntraAppKit.PesterSupport
{
    /// <summary>
    /// A PowerShell host that records what a session writes to it: the "What if:" lines of -WhatIf (ShouldProcess writes
    /// them to the host, not to a stream), Out-Default's formatted output, Write-Host and progress. It is not interactive: a
    /// prompt (Read-Host, -Confirm, a mandatory parameter left out) fails as it does in `pwsh -NonInteractive`, unless a
    /// test has queued the answers to give (<see cref="Answer"/>), as a user at the console would type them. Pester compiles
    /// it with Add-Type (Support/ModuleSession.psm1); the in-process engine tests compile the same file (linked in
    /// tests/EntraAppKit.PowerShell.Tests), so both specify the console through one host.
    /// </summary>
    public sealed class RecordingHost : PSHost
    {
        private readonly RecordingHostUserInterface _ui;
        private readonly Guid _id = Guid.NewGuid();

        /// <summary>A 120-column console.</summary>
        public RecordingHost() : this(120) { }

        /// <summary>A console <paramref name="width"/> columns wide: formatted output and Get-Help wrap at it.</summary>
        public RecordingHost(int width) { _ui = new RecordingHostUserInterface(width); }

        /// <summary>Every complete line written to the host since the last <see cref="TakeLines"/>.</summary>
        public string[] TakeLines() => _ui.TakeLines();

        /// <summary>Queues the labels ("Yes", "No", "Yes to All", ...) to choose at the next -Confirm prompts, in order.</summary>
        public void Answer(params string[] labels) => _ui.Answer(labels);

        /// <summary>How many queued answers no prompt has used.</summary>
        public int AnswersLeft => _ui.AnswersLeft;

        /// <summary>Every progress record written since the last <see cref="TakeProgress"/>.</summary>
        public ProgressRecord[] TakeProgress() => _ui.TakeProgress();

        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override Guid InstanceId => _id;
        public override string Name => "EntraAppKit.PesterSupport.RecordingHost";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => new Version(1, 0);
        public override void EnterNestedPrompt() => throw new NotSupportedException("The recording host has no nested prompt.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("The recording host has no nested prompt.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }
    }

    /// <summary>The recording host's UI: lines in a list, no prompts.</summary>
    public sealed class RecordingHostUserInterface : PSHostUserInterface
    {
        private readonly List<string> _lines = new List<string>();
        private readonly System.Text.StringBuilder _partial = new System.Text.StringBuilder();
        private readonly RecordingRawUserInterface _raw;
        private readonly Queue<string> _answers = new Queue<string>();
        private readonly List<ProgressRecord> _progress = new List<ProgressRecord>();

        public RecordingHostUserInterface(int width) { _raw = new RecordingRawUserInterface(width); }

        public void Answer(string[] labels) { lock (_answers) foreach (var label in labels) _answers.Enqueue(label); }

        public int AnswersLeft { get { lock (_answers) return _answers.Count; } }

        public ProgressRecord[] TakeProgress()
        {
            lock (_progress)
            {
                var taken = _progress.ToArray();
                _progress.Clear();
                return taken;
            }
        }

        public string[] TakeLines()
        {
            lock (_lines)
            {
                if (_partial.Length > 0) { _lines.Add(_partial.ToString()); _partial.Clear(); }
                var taken = _lines.ToArray();
                _lines.Clear();
                return taken;
            }
        }

        private void Append(string value)
        {
            lock (_lines)
            {
                var parts = (value ?? string.Empty).Replace("\r\n", "\n").Split('\n');
                _partial.Append(parts[0]);
                for (int i = 1; i < parts.Length; i++)
                {
                    _lines.Add(_partial.ToString());
                    _partial.Clear();
                    _partial.Append(parts[i]);
                }
            }
        }

        public override PSHostRawUserInterface RawUI => _raw;
        public override void Write(string value) => Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
        public override void WriteLine(string value) => Append(value + "\n");
        public override void WriteErrorLine(string value) => Append(value + "\n");
        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");
        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");
        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) { lock (_progress) _progress.Add(record); }

        private static Exception NotInteractive(string what) =>
            new PSInvalidOperationException("The recording host is not interactive: it cannot " + what + ".");

        public override string ReadLine() => throw NotInteractive("read a line");
        public override SecureString ReadLineAsSecureString() => throw NotInteractive("read a secure string");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw NotInteractive("prompt for " + string.Join(", ", System.Linq.Enumerable.Select(descriptions, d => d.Name)));
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
        {
            string label;
            lock (_answers)
            {
                if (_answers.Count == 0) throw NotInteractive("ask '" + caption + "'");
                label = _answers.Dequeue();
            }
            Append(caption + ": " + message + " -> " + label + "\n");
            for (int i = 0; i < choices.Count; i++)
                if (string.Equals(choices[i].Label.Replace("&", string.Empty), label, StringComparison.OrdinalIgnoreCase)) return i;
            throw new ArgumentException("'" + label + "' is not a choice of '" + caption + "'.");
        }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw NotInteractive("prompt for a credential");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NotInteractive("prompt for a credential");
    }

    /// <summary>A window of a fixed width, so formatted output is the same on every machine.</summary>
    public sealed class RecordingRawUserInterface : PSHostRawUserInterface
    {
        private readonly Size _window;

        public RecordingRawUserInterface(int width) { _window = new Size(width, 50); }

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => new Size(_window.Width, 9999); set { } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => _window;
        public override Size MaxWindowSize => _window;
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => _window; set { } }
        public override string WindowTitle { get; set; } = string.Empty;
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("The recording host is not interactive: it cannot read a key.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
