using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>
    /// A host that records what Out-Host writes, so a test reads help as a console shows it. The in-process engine has
    /// no Out-String (it lives in Microsoft.PowerShell.Utility, which System.Management.Automation does not ship), but
    /// Out-Host and the help views are in the engine itself. Nothing here reads input: a prompt fails the test.
    /// </summary>
    public sealed class HelpHost : PSHost
    {
        private readonly RecordingUI _ui;

        public HelpHost(int width) => _ui = new RecordingUI(width);

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => new CultureInfo("en-US");
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override string Name => "EntraAppKit.HelpHost";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => new Version(1, 0);

        /// <summary>Everything written since the last call, and starts over.</summary>
        public string TakeOutput()
        {
            string text = _ui.Output.ToString();
            _ui.Output.Clear();
            return text;
        }

        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }

        private sealed class RecordingUI : PSHostUserInterface
        {
            private readonly FixedRawUI _raw;

            public RecordingUI(int width) => _raw = new FixedRawUI(width);

            public StringBuilder Output { get; } = new StringBuilder();

            public override PSHostRawUserInterface RawUI => _raw;
            public override void Write(string value) => Output.Append(value);
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Output.Append(value);
            public override void WriteLine(string value) => Output.Append(value).Append('\n');
            public override void WriteErrorLine(string value) => Output.Append(value).Append('\n');
            public override void WriteDebugLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) { }
            public override string ReadLine() => throw new NotSupportedException("the help tests never read input");
            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("the help tests never read input");
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException("the help tests never prompt");
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException("the help tests never prompt");
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException("the help tests never prompt");
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException("the help tests never prompt");
        }

        /// <summary>A console of a fixed width: Get-Help wraps its text to the buffer width.</summary>
        private sealed class FixedRawUI : PSHostRawUserInterface
        {
            private readonly Size _size;

            public FixedRawUI(int width) => _size = new Size(width, 50);

            public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
            public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
            public override Size BufferSize { get => _size; set { } }
            public override Coordinates CursorPosition { get; set; }
            public override int CursorSize { get; set; }
            public override bool KeyAvailable => false;
            public override Size MaxPhysicalWindowSize => _size;
            public override Size MaxWindowSize => _size;
            public override Coordinates WindowPosition { get; set; }
            public override Size WindowSize { get => _size; set { } }
            public override string WindowTitle { get; set; } = "";
            public override void FlushInputBuffer() { }
            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
            public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("the help tests never read input");
            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
        }
    }
}
