using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using HelpBuilder;
using HelpBuilder.Markdown;
using HelpBuilder.Output;
using Xunit;

namespace EntraAppKit.Tests.Docs
{
    /// <summary>tools/HelpBuilder on small pages of its own: what it makes of each part of a page, and the problems it refuses with file and line.</summary>
    public sealed class HelpBuilderTests : IDisposable
    {
        private const string Page = @"---
external help file: Sample.dll-Help.xml
Module Name: Sample
online version:
schema: 2.0.0
---

# Get-Sample

## SYNOPSIS
Gets a **sample**.

## SYNTAX

### ByName (Default)
```
Get-Sample [-Name] <String> [-Tag <String[]>] [<CommonParameters>]
```

### ById
```
Get-Sample -Id <Int32> [-Tag <String[]>] [<CommonParameters>]
```

## DESCRIPTION
Gets the sample
named by -Name, see [about_Sample](about_Sample.md) and [the docs](https://example.com/docs).

- first item
  continued
- second item

## EXAMPLES

### Example 1: By name
```powershell
Get-Sample -Name 'a'
```

Gets a.

### Example 2: By id
```powershell
Get-Sample -Id 1
```

Gets 1.

## PARAMETERS

### -Id
The id.

```yaml
Type: Int32
Parameter Sets: ById
Aliases: Identity

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
```

### -Name
The name.

```yaml
Type: String
Parameter Sets: ByName
Aliases:

Required: True
Position: 0
Default value: None
Accept pipeline input: False
Accept wildcard characters: True
```

### -Tag
Tags.

```yaml
Type: String[]
Parameter Sets: (All)
Aliases:
Accepted values: Red, Blue

Required: False
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.Int32
The id, by property name.

## OUTPUTS

### Sample.Thing
A thing.

## NOTES
Note one.

## RELATED LINKS

[about_Sample](about_Sample.md)

[Example docs](https://example.com/docs)
";

        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private readonly string _docs = Path.Combine(Path.GetTempPath(), "helpbuilder-" + Guid.NewGuid().ToString("N"));

        public HelpBuilderTests() => Directory.CreateDirectory(_docs);

        public void Dispose() => Directory.Delete(_docs, recursive: true);

        private XElement Build(string page)
        {
            File.WriteAllText(Path.Combine(_docs, "Get-Sample.md"), page);
            string output = Path.Combine(_docs, "en-US");
            Program.Build(_docs, output);
            return XDocument.Load(Path.Combine(output, "Sample.dll-Help.xml")).Root!.Element(Command + "command")!;
        }

        private HelpBuildException Refused(string page)
        {
            File.WriteAllText(Path.Combine(_docs, "Get-Sample.md"), page);
            return Assert.Throws<HelpBuildException>(() => Program.Build(_docs, Path.Combine(_docs, "en-US")));
        }

        [Fact]
        public void A_page_becomes_a_MAML_command_with_plain_text()
        {
            var command = Build(Page);
            var details = command.Element(Command + "details")!;
            Assert.Equal(new[] { "Get-Sample", "Get", "Sample", "Gets a sample." },
                new[] { details.Element(Command + "name")!.Value, details.Element(Command + "verb")!.Value, details.Element(Command + "noun")!.Value, details.Element(Maml + "description")!.Value });
            Assert.Equal(new[]
            {
                "Gets the sample named by -Name, see about_Sample and the docs (https://example.com/docs).",
                "- first item continued",
                "- second item",
            }, command.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));
            Assert.Equal("Note one.", command.Element(Maml + "alertSet")!.Element(Maml + "alert")!.Element(Maml + "para")!.Value);
            Assert.Equal("System.Int32", command.Element(Command + "inputTypes")!.Element(Command + "inputType")!.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal("A thing.", command.Element(Command + "returnValues")!.Element(Command + "returnValue")!.Element(Maml + "description")!.Value);
            Assert.Equal(new[] { ("about_Sample", ""), ("Example docs", "https://example.com/docs") },
                command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)));
        }

        [Fact]
        public void Syntax_items_follow_the_syntax_blocks_with_each_sets_metadata()
        {
            var items = Build(Page).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
            Assert.Equal(2, items.Count);
            var byName = items[0].Elements(Command + "parameter").ToList();
            Assert.Equal(new[] { "Name", "Tag" }, byName.Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(("true", "0", "true"), ((string)byName[0].Attribute("required")!, (string)byName[0].Attribute("position")!, (string)byName[0].Attribute("globbing")!));
            // Accepted values are shown in the syntax as {Red | Blue}; an array parameter is variableLength.
            Assert.Equal(new[] { "Red", "Blue" }, byName[1].Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
            Assert.Equal("true", (string)byName[1].Attribute("variableLength")!);
            var byId = items[1].Elements(Command + "parameter").ToList();
            Assert.Equal(new[] { "Id", "Tag" }, byId.Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(("true", "named", "True (ByPropertyName)", "Identity"),
                ((string)byId[0].Attribute("required")!, (string)byId[0].Attribute("position")!, (string)byId[0].Attribute("pipelineInput")!, (string)byId[0].Attribute("aliases")!));
        }

        [Fact]
        public void Parameters_carry_description_type_and_default_and_CommonParameters_is_left_to_Get_Help()
        {
            var parameters = Build(Page).Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
            Assert.Equal(new[] { "Id", "Name", "Tag" }, parameters.Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(new[] { "The id.", "The name.", "Tags." }, parameters.Select(p => p.Element(Maml + "description")!.Value));
            Assert.Equal(new[] { "Int32", "String", "String[]" }, parameters.Select(p => p.Element(Command + "parameterValue")!.Value));
            Assert.Equal(new[] { "None", "None", "None" }, parameters.Select(p => p.Element(Dev + "defaultValue")!.Value));
        }

        [Fact]
        public void Examples_have_a_dashed_title_the_code_and_the_remarks_then_an_empty_paragraph()
        {
            var examples = Build(Page).Element(Command + "examples")!.Elements(Command + "example").ToList();
            Assert.Equal(2, examples.Count);
            string title = examples[0].Element(Maml + "title")!.Value;
            Assert.Matches(@"^-{4,} Example 1: By name -{4,}$", title);
            Assert.Equal("Get-Sample -Name 'a'", examples[0].Element(Dev + "code")!.Value);
            // The empty paragraph is the blank line Get-Help otherwise leaves out before the next example's title.
            Assert.Equal(new[] { "Gets a.", "" }, examples[0].Element(Dev + "remarks")!.Elements(Maml + "para").Select(p => p.Value));
        }

        [Fact]
        public void The_output_is_the_same_bytes_on_every_run()
        {
            File.WriteAllText(Path.Combine(_docs, "Get-Sample.md"), Page);
            Program.Build(_docs, Path.Combine(_docs, "a"));
            Program.Build(_docs, Path.Combine(_docs, "b"));
            Assert.Equal(File.ReadAllBytes(Path.Combine(_docs, "a", "Sample.dll-Help.xml")), File.ReadAllBytes(Path.Combine(_docs, "b", "Sample.dll-Help.xml")));
        }

        [Theory]
        [InlineData("### -Tag\nTags.\n", "### -Tag\n", 81, "-Tag has no description")]
        [InlineData("## SYNOPSIS\nGets a **sample**.\n", "## SYNOPSIS\n", 10, "## SYNOPSIS is empty")]
        [InlineData("```powershell\nGet-Sample -Id 1\n```\n", "", 42, "'### Example 2: By id' has no ```powershell block")]
        [InlineData("[-Tag <String[]>] [<CommonParameters>]\n```\n\n## DESCRIPTION", "[-Tag <String[]>] [-Color <String>] [<CommonParameters>]\n```\n\n## DESCRIPTION", 21, "the syntax of parameter set ById names -Color, which has no '### -Color' block")]
        [InlineData("The id.\n", "{{ Fill Id Description }}\n", 52, "a {{ placeholder }} is left")]
        [InlineData("Accept wildcard characters: False\n```\n\n### CommonParameters", "Accept wildcard characters: False\n\n### CommonParameters", 84, "a code block that starts here never ends")]
        public void A_page_that_cannot_become_full_help_is_refused_with_its_line(string find, string replace, int line, string problem)
        {
            Assert.Contains(find, Page, StringComparison.Ordinal);
            var refused = Refused(Page.Replace(find, replace, StringComparison.Ordinal));
            Assert.Contains(refused.Problems, p => p.Line == line && p.Problem == problem && p.SourcePath.EndsWith("Get-Sample.md", StringComparison.Ordinal));
            Assert.False(File.Exists(Path.Combine(_docs, "en-US", "Sample.dll-Help.xml")), "nothing is written when a page is refused");
        }

        [Fact]
        public void An_about_topic_becomes_wrapped_plain_text()
        {
            var doc = MarkdownDocument.Parse(
                "---\ntitle: about_Sample\n---\n\n# about_Sample\n\n## SHORT DESCRIPTION\n\nA **short** [link](https://example.com) and [a page](Get-Sample.md).\n\n" +
                "## LONG DESCRIPTION\n\n" + string.Join(" ", Enumerable.Repeat("word", 30)) + "\n\n- one\n- two that\n  goes on\n\n### Sub heading\n\n```powershell\nGet-Sample\n    -Name a\n```\n",
                "about_Sample.md");
            Assert.Equal(
                "TOPIC\n    about_Sample\n\nSHORT DESCRIPTION\n    A short link (https://example.com) and a page.\n\nLONG DESCRIPTION\n" +
                "    word word word word word word word word word word word word word word word\n    word word word word word word word word word word word word word word word\n\n" +
                "    - one\n    - two that goes on\n\n  Sub heading\n\n        Get-Sample\n            -Name a\n",
                AboutTopicWriter.Write(doc));
        }
    }
}
