"""Registration data: who comes to which conference and which seats they hold."""
