using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using HelpBuilder.Commands;

namespace HelpBuilder.Output
{
    /// <summary>
    /// Writes cmdlet help as MAML, the XML Get-Help reads from &lt;assembly file&gt;-Help.xml in the module's culture folder
    /// (https://learn.microsoft.com/powershell/scripting/developer/help/writing-help-for-windows-powershell-cmdlets): a
    /// helpItems root holding one command:command per cmdlet, with details (name, verb, noun, synopsis), description,
    /// syntax (one syntaxItem per parameter set), parameters, inputTypes, returnValues, alertSet (notes), examples and
    /// relatedLinks, in the maml, command and dev namespaces.
    /// </summary>
    public static class MamlWriter
    {
        public const string MshNamespace = "http://msh";
        public const string MamlNamespace = "http://schemas.microsoft.com/maml/2004/10";
        public const string CommandNamespace = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public const string DevNamespace = "http://schemas.microsoft.com/maml/dev/2004/10";
        public const string MsHelpNamespace = "http://msdn.microsoft.com/mshelp";

        /// <summary>Example titles are centred between dashes in 76 columns: an 80-column console less Get-Help's indent.</summary>
        private const int ExampleTitleWidth = 76;

        public static string Write(IEnumerable<CommandHelp> commands)
        {
            var settings = new XmlWriterSettings
            {
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Replace,
                Encoding = new UTF8Encoding(false),
            };
            var text = new StringBuilder();
            using (var xml = XmlWriter.Create(new StringWriter(text), settings))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("helpItems", MshNamespace);
                xml.WriteAttributeString("schema", "maml");
                foreach (var command in commands) WriteCommand(xml, command);
                xml.WriteEndElement();
                xml.WriteEndDocument();
            }
            // StringWriter reports UTF-16; the file is written as UTF-8, and says so.
            return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"") + "\n";
        }

        private static void WriteCommand(XmlWriter xml, CommandHelp command)
        {
            xml.WriteStartElement("command", "command", CommandNamespace);
            xml.WriteAttributeString("xmlns", "maml", null, MamlNamespace);
            xml.WriteAttributeString("xmlns", "dev", null, DevNamespace);
            xml.WriteAttributeString("xmlns", "MSHelp", null, MsHelpNamespace);

            xml.WriteStartElement("command", "details", CommandNamespace);
            xml.WriteElementString("command", "name", CommandNamespace, command.Name);
            xml.WriteElementString("command", "verb", CommandNamespace, command.Verb);
            xml.WriteElementString("command", "noun", CommandNamespace, command.Noun);
            Description(xml, new[] { command.Synopsis });
            xml.WriteEndElement();

            Description(xml, command.Description);

            xml.WriteStartElement("command", "syntax", CommandNamespace);
            foreach (var set in command.Syntax)
            {
                xml.WriteStartElement("command", "syntaxItem", CommandNamespace);
                xml.WriteElementString("maml", "name", MamlNamespace, command.Name);
                foreach (var name in set.Parameters)
                {
                    var parameter = command.Parameters.First(p => p.Name == name);
                    var metadata = parameter.In(set.Name) ?? parameter.Metadata[0];
                    Parameter(xml, parameter, metadata.Required ? "true" : "false", Position(metadata.Position), metadata.PipelineInput, inSyntax: true);
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteStartElement("command", "parameters", CommandNamespace);
            foreach (var parameter in command.Parameters)
            {
                // One entry per parameter. Get-Help reads 'required' as a Boolean, so a parameter mandatory in some sets
                // only is "false" here (the syntax shows it per set); position and pipeline input are shown as written,
                // so where they differ each value says which sets it holds in.
                string required = parameter.Metadata.All(m => m.Required) ? "true" : "false";
                string position = PerSet(parameter, m => Position(m.Position));
                string pipeline = PerSet(parameter, m => m.PipelineInput);
                Parameter(xml, parameter, required, position, pipeline, inSyntax: false);
            }
            xml.WriteEndElement();

            TypeList(xml, "inputTypes", "inputType", command.Inputs);
            TypeList(xml, "returnValues", "returnValue", command.Outputs);

            if (command.Notes.Count > 0)
            {
                xml.WriteStartElement("maml", "alertSet", MamlNamespace);
                xml.WriteStartElement("maml", "alert", MamlNamespace);
                Paragraphs(xml, command.Notes);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteStartElement("command", "examples", CommandNamespace);
            foreach (var example in command.Examples)
            {
                xml.WriteStartElement("command", "example", CommandNamespace);
                xml.WriteElementString("maml", "title", MamlNamespace, ExampleTitle(example.Title));
                xml.WriteElementString("dev", "code", DevNamespace, example.Code);
                xml.WriteStartElement("dev", "remarks", DevNamespace);
                Paragraphs(xml, example.Remarks);
                // An empty last paragraph: without it Get-Help prints the next example's title right under these remarks.
                xml.WriteElementString("maml", "para", MamlNamespace, "");
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteStartElement("command", "relatedLinks", CommandNamespace);
            var links = command.Links.ToList();
            if (command.OnlineVersion.Length > 0) links.Insert(0, new RelatedLink("Online Version:", command.OnlineVersion));
            foreach (var link in links)
            {
                xml.WriteStartElement("maml", "navigationLink", MamlNamespace);
                xml.WriteElementString("maml", "linkText", MamlNamespace, link.Text);
                xml.WriteElementString("maml", "uri", MamlNamespace, link.Uri);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteEndElement();
        }

        private static void Parameter(XmlWriter xml, ParameterHelp parameter, string required, string position, string pipeline, bool inSyntax)
        {
            xml.WriteStartElement("command", "parameter", CommandNamespace);
            xml.WriteAttributeString("required", required);
            xml.WriteAttributeString("variableLength", parameter.IsArray ? "true" : "false");
            xml.WriteAttributeString("globbing", parameter.Wildcards ? "true" : "false");
            xml.WriteAttributeString("pipelineInput", pipeline);
            xml.WriteAttributeString("position", position);
            xml.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
            xml.WriteElementString("maml", "name", MamlNamespace, parameter.Name);
            // The syntax shows names and types only; the description is read from command:parameters.
            if (!inSyntax) Description(xml, parameter.Description);
            if (inSyntax && parameter.AcceptedValues.Count > 0)
            {
                // Get-Help shows the accepted values in the syntax: -Environment {Global | USGov | ...}
                xml.WriteStartElement("command", "parameterValueGroup", CommandNamespace);
                foreach (var value in parameter.AcceptedValues) ParameterValue(xml, value, parameter.IsArray);
                xml.WriteEndElement();
            }
            else if (!parameter.IsSwitch)
            {
                ParameterValue(xml, parameter.Type, parameter.IsArray);
            }
            xml.WriteStartElement("dev", "type", DevNamespace);
            xml.WriteElementString("maml", "name", MamlNamespace, parameter.Type);
            xml.WriteElementString("maml", "uri", MamlNamespace, "");
            xml.WriteEndElement();
            xml.WriteElementString("dev", "defaultValue", DevNamespace, parameter.DefaultValue);
            xml.WriteEndElement();
        }

        private static void ParameterValue(XmlWriter xml, string value, bool variableLength)
        {
            xml.WriteStartElement("command", "parameterValue", CommandNamespace);
            xml.WriteAttributeString("required", "true");
            xml.WriteAttributeString("variableLength", variableLength ? "true" : "false");
            xml.WriteString(value);
            xml.WriteEndElement();
        }

        private static string Position(string position) =>
            string.Equals(position, "Named", StringComparison.OrdinalIgnoreCase) ? "named" : position;

        private static string PerSet(ParameterHelp parameter, Func<ParameterSetMetadata, string> value)
        {
            var distinct = parameter.Metadata.Select(value).Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count == 1) return distinct[0];
            return string.Join("; ", parameter.Metadata.Select(m => $"{value(m)} ({string.Join(", ", m.Sets)})"));
        }

        private static void TypeList(XmlWriter xml, string listName, string itemName, IReadOnlyList<TypeHelp> types)
        {
            xml.WriteStartElement("command", listName, CommandNamespace);
            foreach (var type in types)
            {
                xml.WriteStartElement("command", itemName, CommandNamespace);
                xml.WriteStartElement("dev", "type", DevNamespace);
                xml.WriteElementString("maml", "name", MamlNamespace, type.Name);
                xml.WriteEndElement();
                Description(xml, type.Description);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }

        private static void Description(XmlWriter xml, IReadOnlyList<string> paragraphs)
        {
            xml.WriteStartElement("maml", "description", MamlNamespace);
            Paragraphs(xml, paragraphs);
            xml.WriteEndElement();
        }

        private static void Paragraphs(XmlWriter xml, IEnumerable<string> paragraphs)
        {
            foreach (var p in paragraphs) xml.WriteElementString("maml", "para", MamlNamespace, p);
        }

        /// <summary>"Example 1: Title" as "----- Example 1: Title -----", like the dashed titles of the help PowerShell ships.</summary>
        private static string ExampleTitle(string title)
        {
            int dashes = Math.Max(4, ExampleTitleWidth - title.Length - 2);
            return new string('-', dashes / 2) + " " + title + " " + new string('-', dashes - dashes / 2);
        }
    }
}
