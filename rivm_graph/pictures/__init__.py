"""Pictures of the network as SVG: atlas, projection, svg, maps (world, locator), timeline."""
