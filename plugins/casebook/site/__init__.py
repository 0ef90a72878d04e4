"""The site: pages, templates, exports, feeds, JSON-LD, schemas and forms, made from the core's knowledge base."""
