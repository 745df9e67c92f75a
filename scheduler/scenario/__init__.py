"""The scenario: the programme as organisers describe it (frozen, validated), its travel times,
YAML loading with located messages, variants and the JSON Schema. Imports nothing else of the
package.
"""
